//! `json!` for store values: serde_json's syntax and meaning, building a `Value` directly.
//!
//! The macro walks its input a token at a time: an array's elements and an object's values
//! end at a comma of their own level, an object's keys at a colon. A leaf that converts into
//! a `Value` (text, numbers, booleans, `Value`s, options and vectors of them) is cloned into
//! one; any other leaf is serialized, as serde_json's `json!` does with every leaf. Building
//! a serde_json tree first and converting it cost a tenth of a 5,000-node rollout.

use super::{Value, to_value};

/// A borrowed leaf of `json!`; which `to_json` applies is chosen by the leaf's type.
pub struct Leaf<'a, T: ?Sized>(pub &'a T);

/// Leaves that convert into a `Value`: cloned and converted.
pub trait ByConversion {
    fn to_json(&self) -> Value;
}

impl<T: Clone + Into<Value>> ByConversion for Leaf<'_, T> {
    fn to_json(&self) -> Value {
        self.0.clone().into()
    }
}

/// Every other leaf: serialized (a leaf that fails to serialize becomes null).
pub trait BySerialization {
    fn to_json(&self) -> Value;
}

impl<T: serde::Serialize + ?Sized> BySerialization for &Leaf<'_, T> {
    fn to_json(&self) -> Value {
        to_value(self.0).unwrap_or(Value::Null)
    }
}

#[macro_export]
#[doc(hidden)]
macro_rules! __store_json {
    // An array's elements so far, and the tokens of the one being read.
    (@array [$($done:expr,)*] [] $one:tt , $($rest:tt)*) => {
        $crate::__store_json!(@array [$($done,)* $crate::__store_json!($one),] [] $($rest)*)
    };
    (@array [$($done:expr,)*] [$($cur:tt)+] , $($rest:tt)*) => {
        $crate::__store_json!(@array [$($done,)* $crate::__store_json!($($cur)+),] [] $($rest)*)
    };
    (@array [$($done:expr,)*] [$($cur:tt)*] $next:tt $($rest:tt)*) => {
        $crate::__store_json!(@array [$($done,)*] [$($cur)* $next] $($rest)*)
    };
    (@array [$($done:expr,)*] [$($cur:tt)+]) => {
        vec![$($done,)* $crate::__store_json!($($cur)+)]
    };
    (@array [$($done:expr,)*] []) => {
        vec![$($done,)*]
    };
    // An object's entries so far; then the key being read, or the key and its value's tokens.
    (@object [$($done:expr,)*] @key [] $key:literal : $one:tt , $($rest:tt)*) => {
        $crate::__store_json!(@object [$($done,)* ($crate::engine::value::Str::from($key), $crate::__store_json!($one)),] @key [] $($rest)*)
    };
    (@object [$($done:expr,)*] @key [$($key:tt)+] : $($rest:tt)*) => {
        $crate::__store_json!(@object [$($done,)*] @value [$($key)+] [] $($rest)*)
    };
    (@object [$($done:expr,)*] @key [$($key:tt)*] $next:tt $($rest:tt)*) => {
        $crate::__store_json!(@object [$($done,)*] @key [$($key)* $next] $($rest)*)
    };
    (@object [$($done:expr,)*] @key []) => {
        vec![$($done,)*]
    };
    (@object [$($done:expr,)*] @value [$($key:tt)+] [$($cur:tt)+] , $($rest:tt)*) => {
        $crate::__store_json!(@object [$($done,)* ($crate::engine::value::Str::from($($key)+), $crate::__store_json!($($cur)+)),] @key [] $($rest)*)
    };
    (@object [$($done:expr,)*] @value [$($key:tt)+] [$($cur:tt)*] $next:tt $($rest:tt)*) => {
        $crate::__store_json!(@object [$($done,)*] @value [$($key)+] [$($cur)* $next] $($rest)*)
    };
    (@object [$($done:expr,)*] @value [$($key:tt)+] [$($cur:tt)+]) => {
        vec![$($done,)* ($crate::engine::value::Str::from($($key)+), $crate::__store_json!($($cur)+))]
    };
    (null) => {
        $crate::engine::value::Value::Null
    };
    ([]) => {
        $crate::engine::value::Value::Array(::std::vec::Vec::new())
    };
    ([ $($tt:tt)+ ]) => {
        $crate::engine::value::Value::Array($crate::__store_json!(@array [] [] $($tt)+))
    };
    ({}) => {
        $crate::engine::value::Value::Object($crate::engine::value::Map::new())
    };
    ({ $($tt:tt)+ }) => {
        $crate::engine::value::Value::Object($crate::engine::value::Map::from_entries(
            $crate::__store_json!(@object [] @key [] $($tt)+),
        ))
    };
    ($other:expr) => {{
        #[allow(unused_imports)]
        use $crate::engine::value::json::{ByConversion as _, BySerialization as _};
        (&$crate::engine::value::json::Leaf(&$other)).to_json()
    }};
}
