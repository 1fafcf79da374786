//! A hierarchical cancellation token: stopping an execution cancels everything under it, and
//! a failing Parallel branch or Map iteration cancels only its siblings (a child scope).

use std::sync::Arc;
use tokio::sync::watch;

#[derive(Debug, Clone)]
pub struct CancelToken {
    own: Arc<watch::Sender<bool>>,
    /// This token's receiver and those of all its ancestors.
    chain: Vec<watch::Receiver<bool>>,
}

impl Default for CancelToken {
    fn default() -> Self {
        Self::new()
    }
}

impl CancelToken {
    pub fn new() -> CancelToken {
        let (sender, receiver) = watch::channel(false);
        CancelToken {
            own: Arc::new(sender),
            chain: vec![receiver],
        }
    }

    /// A token cancelled with this one, or on its own.
    pub fn child(&self) -> CancelToken {
        let (sender, receiver) = watch::channel(false);
        let mut chain = self.chain.clone();
        chain.push(receiver);
        CancelToken {
            own: Arc::new(sender),
            chain,
        }
    }

    pub fn cancel(&self) {
        self.own.send_replace(true);
    }

    pub fn is_cancelled(&self) -> bool {
        self.chain.iter().any(|receiver| *receiver.borrow())
    }

    /// Completes once this token or an ancestor is cancelled.
    pub async fn cancelled(&self) {
        let waits = self.chain.iter().map(|receiver| {
            let mut receiver = receiver.clone();
            Box::pin(async move {
                if receiver.wait_for(|cancelled| *cancelled).await.is_err() {
                    // The owner is gone without cancelling: it never will.
                    std::future::pending::<()>().await;
                }
            })
        });
        futures_util::future::select_all(waits).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn cancelling_a_parent_reaches_children_but_not_the_other_way() {
        let root = CancelToken::new();
        let child = root.child();
        let grandchild = child.child();
        child.cancel();
        assert!(grandchild.is_cancelled());
        assert!(!root.is_cancelled());
        grandchild.cancelled().await;
        let other = root.child();
        assert!(!other.is_cancelled());
        root.cancel();
        other.cancelled().await;
        assert!(other.is_cancelled());
    }
}
