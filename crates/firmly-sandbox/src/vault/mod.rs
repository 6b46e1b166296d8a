//! The card vault: [`keys`] holds the payment key pair and reads encrypted card data (JWE,
//! per-field RSA-OAEP, tokenize's hybrid envelope), generated in the background by
//! [`pending`]; [`completion`] finds the cart to pay,
//! runs the completion checks and places the order.

pub mod completion;
pub mod keys;
pub mod pending;
