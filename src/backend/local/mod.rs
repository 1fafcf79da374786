//! The embedded local sandbox: runs the rider-photo pipeline in-process (an Amazon States
//! Language interpreter with stand-ins for Rekognition, S3, DynamoDB and SNS) and serves it
//! through the `Backend` trait, so a first run needs no account and no network.

pub mod asl;
pub mod cancel;
pub mod clock;
