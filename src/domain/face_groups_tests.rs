//! Tests of the incremental duplicate index: built a face at a time and from scratch, it
//! agrees with a full regrouping.

use super::*;
use crate::domain::faces::{FaceMatch, duplicate_groups, user_count};

fn face(id: &str, user: &str, image: &str) -> Face {
    Face {
        face_id: id.into(),
        external_image_id: Some(user.into()),
        image_id: Some(image.into()),
        confidence: None,
        bounding_box: None,
        indexed_at: None,
    }
}

/// The groups as a list, in the order `duplicate_groups` gives them.
fn all_groups(groups: &FaceGroups, faces: &[Face]) -> Vec<DuplicateGroup> {
    let mut seen = Vec::new();
    for row in 0..groups.len() {
        for group in groups.groups_of(row, faces) {
            if !seen.contains(&group) {
                seen.push(group);
            }
        }
    }
    seen.sort_by_key(|g| g.kind);
    seen
}

#[test]
fn page_by_page_gives_the_groups_and_counts_of_a_rebuild() {
    let faces: Vec<Face> = (0..200)
        .map(|i| {
            face(
                &format!("f{i}"),
                &format!("u{}", i % 70),
                &format!("i{}", i % 150),
            )
        })
        .collect();
    let mut incremental = FaceGroups::default();
    for (row, f) in faces.iter().enumerate() {
        assert!(incremental.add(f, &faces[..row]));
    }
    assert!(
        !incremental.add(&faces[3], &faces),
        "a repeated id is not a row"
    );
    let expected = duplicate_groups(&faces);
    assert_eq!(all_groups(&incremental, &faces), expected);
    assert_eq!(incremental.group_count(), expected.len());
    assert_eq!(incremental.user_count(), user_count(&faces));
    let in_groups: std::collections::HashSet<&String> =
        expected.iter().flat_map(|g| &g.face_ids).collect();
    assert_eq!(incremental.duplicate_face_count(), in_groups.len());
    assert_eq!(incremental.row_of("f199", &faces), Some(199));
    assert_eq!(incremental.row_of("f200", &faces), None);
    assert_eq!(
        incremental.kinds(0),
        vec![DuplicateKind::SameUser, DuplicateKind::SameImage]
    );
    // u69's faces: rows 69 and 139 only; i149: row 149 alone.
    assert_eq!(incremental.group_members(69), vec![69, 139]);
    assert_eq!(incremental.kinds(149), vec![DuplicateKind::SameUser]);
}

#[test]
fn lookalikes_follow_each_answer_and_faces_loaded_later() {
    let faces = vec![
        face("a1", "user_a", "i1"),
        face("b1", "user_b", "i2"),
        face("c1", "user_c", "i3"),
        face("d1", "user_d", "i4"),
    ];
    let matched = |f: &Face| FaceMatch {
        face: f.clone(),
        similarity: 99.0,
    };
    let mut clusters = LookalikeClusters::default();
    // c1 is found before it is loaded.
    clusters.add("a1", &[matched(&faces[1]), matched(&faces[2])]);
    let mut groups = FaceGroups::default();
    for row in 0..2 {
        groups.add(&faces[row], &faces[..row]);
    }
    assert!(
        groups.update_lookalike(&faces, &clusters, "a1"),
        "a cluster under two riders is a new group"
    );
    assert_eq!(groups.group_count(), 1);
    assert_eq!(groups.duplicate_face_count(), 2);
    assert_eq!(groups.group_members(0), vec![0, 1]);
    groups.add(&faces[2], &faces[..2]);
    groups.add(&faces[3], &faces[..3]);
    groups.add_known_lookalikes(&faces, &clusters, 2);
    assert_eq!(groups.group_members(1), vec![0, 1, 2]);
    assert_eq!(groups.duplicate_face_count(), 3);
    // d1 joins: still one group, of four.
    clusters.add("d1", &[matched(&faces[0])]);
    assert!(groups.update_lookalike(&faces, &clusters, "d1"));
    assert_eq!(groups.group_count(), 1);
    assert_eq!(groups.lookalike_group_count(), 1);
    assert_eq!(groups.duplicate_face_count(), 4);
    assert_eq!(groups.kinds(3), vec![DuplicateKind::Lookalike]);
    let rebuilt = FaceGroups::build(&faces, &clusters);
    assert_eq!(rebuilt.duplicate_face_count(), 4);
    assert_eq!(
        rebuilt.groups_of(2, &faces)[0].key,
        "user_a+user_b+user_c+user_d"
    );
}

#[test]
fn a_search_finding_only_the_riders_own_faces_changes_no_group() {
    let faces = vec![face("a1", "user_a", "i1"), face("a2", "user_a", "i2")];
    let mut groups = FaceGroups::default();
    for row in 0..2 {
        groups.add(&faces[row], &faces[..row]);
    }
    let duplicates_before = groups.duplicate_rows_in_order();
    let mut clusters = LookalikeClusters::default();
    clusters.add(
        "a1",
        &[FaceMatch {
            face: faces[1].clone(),
            similarity: 99.0,
        }],
    );
    assert!(!groups.update_lookalike(&faces, &clusters, "a1"));
    assert_eq!(groups.lookalike_group_count(), 0);
    assert_eq!(groups.duplicate_rows_in_order(), duplicates_before);
}
