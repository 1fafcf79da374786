//! The sandbox's sample photos: their declarations (assets/photos/sample-photos.json — face
//! count, sunglasses, identity, bounding box) and the code that draws each one as a simple
//! cartoon from that same declaration, then encodes it as JPEG. Nothing here is a real photo
//! and "detection" elsewhere reads the declaration, never the pixels.

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use serde::Deserialize;
use std::sync::{Arc, OnceLock};

const DECLARATIONS: &str = include_str!("../../../assets/photos/sample-photos.json");

#[derive(Debug, Clone, Deserialize)]
pub struct PhotoDeclarations {
    pub width: u32,
    pub height: u32,
    pub photos: Vec<DeclaredPhoto>,
    generated_riders: GeneratedRiders,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scene {
    Portrait,
    Landscape,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DeclaredPhoto {
    pub key: String,
    pub scene: Scene,
    pub background: String,
    pub faces: Vec<DeclaredFace>,
}

/// One face as declared: who it is, whether it wears sunglasses, where it is, its colours.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DeclaredFace {
    pub identity: String,
    pub sunglasses: bool,
    /// `[Left, Top, Width, Height]` as fractions of the image.
    #[serde(rename = "box")]
    pub bounding_box: [f64; 4],
    pub skin: String,
    pub hair: String,
    pub shirt: String,
}

#[derive(Debug, Clone, Deserialize)]
struct GeneratedRiders {
    #[serde(rename = "box")]
    bounding_box: [f64; 4],
    skin: Vec<String>,
    hair: Vec<String>,
    shirt: Vec<String>,
    background: Vec<String>,
}

impl PhotoDeclarations {
    /// The declarations shipped with the project (a malformed asset is a build mistake).
    pub fn shipped() -> PhotoDeclarations {
        serde_json::from_str(DECLARATIONS).expect("assets/photos/sample-photos.json is valid")
    }

    pub fn photo(&self, key: &str) -> Option<&DeclaredPhoto> {
        self.photos.iter().find(|p| p.key == key)
    }

    /// New rider number `n` for the trickle: a fresh identity, colours varying with `n`.
    pub fn generated_rider(&self, n: u64, key: &str) -> DeclaredPhoto {
        let g = &self.generated_riders;
        let pick = |list: &Vec<String>, salt: u64| {
            list[((n.wrapping_mul(2_654_435_761) >> 7).wrapping_add(salt * 7 + n)
                % list.len() as u64) as usize]
                .clone()
        };
        DeclaredPhoto {
            key: key.to_string(),
            scene: Scene::Portrait,
            background: pick(&g.background, 1),
            faces: vec![DeclaredFace {
                identity: format!("rider-new-{n}"),
                sunglasses: false,
                bounding_box: g.bounding_box,
                skin: pick(&g.skin, 2),
                hair: pick(&g.hair, 3),
                shirt: pick(&g.shirt, 4),
            }],
        }
    }

    /// Draws a photo at the declared size.
    pub fn draw(&self, photo: &DeclaredPhoto) -> RgbImage {
        draw(photo, self.width, self.height)
    }
}

/// The shipped sample photos as JPEG, keyed like the declarations. They depend only on the
/// compiled-in declarations, so they are drawn once per process and shared read-only (every
/// sandbox started in the process, e.g. in tests, reuses them).
pub fn shipped_sample_jpegs() -> &'static [(String, Arc<Vec<u8>>)] {
    static SAMPLES: OnceLock<Vec<(String, Arc<Vec<u8>>)>> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let declarations = PhotoDeclarations::shipped();
        declarations
            .photos
            .iter()
            .map(|photo| {
                let jpeg = encode_jpeg(&declarations.draw(photo));
                (photo.key.clone(), Arc::new(jpeg))
            })
            .collect()
    })
}

pub fn encode_jpeg(image: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 85)
        .encode_image(image)
        .expect("encoding an RGB image to memory cannot fail");
    bytes
}

fn color(hex: &str) -> Rgb<u8> {
    let hex = hex.trim_start_matches('#');
    let channel =
        |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("80"), 16).unwrap_or(128);
    Rgb([channel(0), channel(2), channel(4)])
}

fn shade(c: Rgb<u8>, factor: f32) -> Rgb<u8> {
    Rgb(c.0.map(|v| (v as f32 * factor).clamp(0.0, 255.0) as u8))
}

fn draw(photo: &DeclaredPhoto, width: u32, height: u32) -> RgbImage {
    let background = color(&photo.background);
    let mut image = RgbImage::new(width, height);
    for (y, row) in image.chunks_exact_mut(width as usize * 3).enumerate() {
        // A soft vertical gradient: lighter at the top.
        let shaded = shade(background, 1.15 - 0.3 * y as f32 / height as f32);
        for pixel in row.chunks_exact_mut(3) {
            pixel.copy_from_slice(&shaded.0);
        }
    }
    match photo.scene {
        Scene::Landscape => draw_landscape(&mut image),
        Scene::Portrait => {
            for face in &photo.faces {
                draw_rider(&mut image, face);
            }
        }
    }
    image
}

fn fill_ellipse(image: &mut RgbImage, cx: f32, cy: f32, rx: f32, ry: f32, c: Rgb<u8>) {
    let (w, h) = (image.width() as i32, image.height() as i32);
    let (x0, x1) = ((cx - rx).floor() as i32, (cx + rx).ceil() as i32);
    let (y0, y1) = ((cy - ry).floor() as i32, (cy + ry).ceil() as i32);
    for y in y0.max(0)..y1.min(h) {
        for x in x0.max(0)..x1.min(w) {
            let dx = (x as f32 + 0.5 - cx) / rx;
            let dy = (y as f32 + 0.5 - cy) / ry;
            if dx * dx + dy * dy <= 1.0 {
                image.put_pixel(x as u32, y as u32, c);
            }
        }
    }
}

fn fill_rect(image: &mut RgbImage, x: f32, y: f32, w: f32, h: f32, c: Rgb<u8>) {
    let (iw, ih) = (image.width() as i32, image.height() as i32);
    for py in (y as i32).max(0)..((y + h) as i32).min(ih) {
        for px in (x as i32).max(0)..((x + w) as i32).min(iw) {
            image.put_pixel(px as u32, py as u32, c);
        }
    }
}

/// The lower half of a ring: a smile.
fn smile(image: &mut RgbImage, cx: f32, cy: f32, r: f32, thickness: f32, c: Rgb<u8>) {
    let (x0, x1) = ((cx - r - thickness) as i32, (cx + r + thickness) as i32);
    let (y0, y1) = (cy as i32, (cy + r + thickness) as i32);
    for y in y0.max(0)..y1.min(image.height() as i32) {
        for x in x0.max(0)..x1.min(image.width() as i32) {
            let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
            if (d - r).abs() <= thickness / 2.0 && (y as f32) > cy + r * 0.35 {
                image.put_pixel(x as u32, y as u32, c);
            }
        }
    }
}

fn draw_rider(image: &mut RgbImage, face: &DeclaredFace) {
    let (iw, ih) = (image.width() as f32, image.height() as f32);
    let [left, top, width, height] = face.bounding_box.map(|v| v as f32);
    let (w, h) = (width * iw, height * ih);
    let (cx, cy) = (left * iw + w / 2.0, top * ih + h / 2.0);
    let skin = color(&face.skin);
    let hair = color(&face.hair);
    let dark = Rgb([30, 30, 40]);
    // Shoulders, neck, hair behind the head, the head, then the features.
    fill_ellipse(
        image,
        cx,
        cy + h * 1.05,
        w * 0.95,
        h * 0.55,
        color(&face.shirt),
    );
    fill_rect(
        image,
        cx - w * 0.12,
        cy + h * 0.35,
        w * 0.24,
        h * 0.3,
        shade(skin, 0.9),
    );
    fill_ellipse(image, cx, cy - h * 0.06, w * 0.54, h * 0.5, hair);
    fill_ellipse(image, cx, cy + h * 0.04, w * 0.46, h * 0.46, skin);
    fill_ellipse(image, cx, cy - h * 0.36, w * 0.4, h * 0.14, hair);
    let eye_y = cy - h * 0.06;
    for side in [-1.0, 1.0] {
        let ex = cx + side * w * 0.17;
        if face.sunglasses {
            fill_ellipse(image, ex, eye_y, w * 0.14, h * 0.08, dark);
        } else {
            fill_ellipse(image, ex, eye_y, w * 0.075, h * 0.05, Rgb([250, 250, 250]));
            fill_ellipse(image, ex, eye_y, w * 0.04, h * 0.035, dark);
        }
        fill_ellipse(
            image,
            cx + side * w * 0.27,
            cy + h * 0.14,
            w * 0.07,
            h * 0.04,
            shade(skin, 0.85),
        );
    }
    if face.sunglasses {
        fill_rect(
            image,
            cx - w * 0.05,
            eye_y - h * 0.01,
            w * 0.1,
            h * 0.02,
            dark,
        );
    }
    fill_ellipse(
        image,
        cx,
        cy + h * 0.06,
        w * 0.04,
        h * 0.05,
        shade(skin, 0.8),
    );
    smile(
        image,
        cx,
        cy + h * 0.08,
        w * 0.2,
        (w * 0.03).max(2.0),
        Rgb([150, 40, 50]),
    );
}

fn draw_landscape(image: &mut RgbImage) {
    let (w, h) = (image.width() as f32, image.height() as f32);
    fill_ellipse(
        image,
        w * 0.8,
        h * 0.18,
        w * 0.07,
        w * 0.07,
        Rgb([255, 209, 102]),
    );
    // Mountains: each pixel below two ridge lines.
    let peaks = [
        (0.25, 0.3, Rgb([108, 117, 125])),
        (0.6, 0.38, Rgb([73, 80, 87])),
    ];
    for (peak_x, peak_y, c) in peaks {
        // Column by column: fill from the ridge line down to the grass.
        for x in 0..image.width() {
            let ridge = peak_y + (x as f32 / w - peak_x).abs() * 0.9;
            let top = (ridge * h).ceil().max(0.0) as u32;
            for y in top..((0.75 * h) as u32).min(image.height()) {
                image.put_pixel(x, y, c);
            }
        }
    }
    fill_rect(image, 0.0, h * 0.72, w, h * 0.28, Rgb([106, 153, 78]));
    fill_rect(
        image,
        w * 0.45,
        h * 0.72,
        w * 0.1,
        h * 0.28,
        Rgb([181, 131, 90]),
    );
    fill_rect(
        image,
        w * 0.14,
        h * 0.55,
        w * 0.03,
        h * 0.2,
        Rgb([111, 78, 55]),
    );
    fill_ellipse(
        image,
        w * 0.155,
        h * 0.5,
        w * 0.07,
        h * 0.1,
        Rgb([56, 102, 65]),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_cover_the_four_test_cases() {
        let declarations = PhotoDeclarations::shipped();
        let count = |key: &str| declarations.photo(key).unwrap().faces.len();
        assert_eq!(count("1_happy_face.jpg"), 1);
        assert!(declarations.photo("2_sunglass_face.jpg").unwrap().faces[0].sunglasses);
        assert!(count("3_multiple_faces.jpg") > 1);
        assert_eq!(count("4_no_face.jpg"), 0);
        let new = declarations.generated_rider(12, "user_12/selfie.jpg");
        assert_eq!(new.faces[0].identity, "rider-new-12");
    }

    #[test]
    fn drawings_follow_the_declaration() {
        let declarations = PhotoDeclarations::shipped();
        let happy = declarations.draw(declarations.photo("1_happy_face.jpg").unwrap());
        assert_eq!(happy.dimensions(), (640, 480));
        // The middle of the declared face box is skin coloured (the nose sits a bit lower).
        let face = &declarations.photo("1_happy_face.jpg").unwrap().faces[0];
        let [l, t, w, h] = face.bounding_box;
        let forehead = happy.get_pixel(
            ((l + w / 2.0) * 640.0) as u32,
            ((t + h * 0.35) * 480.0) as u32,
        );
        assert_eq!(*forehead, color(&face.skin));
        let jpeg = shipped_sample_jpegs()
            .iter()
            .find(|(key, _)| key == "1_happy_face.jpg")
            .map(|(_, bytes)| bytes.clone())
            .unwrap();
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
        let decoded = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (640, 480));
    }
}
