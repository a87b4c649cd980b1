//! `fold(text)`: Vietnamese text folded for matching (tone and vowel marks
//! removed, đ → d, lower case), so that "ha noi" finds "Hà Nội" in a table
//! as it does in the catalogue search. Also callable from SQL.

use datafusion::arrow::array::{Array, ArrayRef, StringArray, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{cast::as_string_array, ScalarValue};
use datafusion::logical_expr::{create_udf, ColumnarValue, ScalarUDF, Volatility};
use std::sync::Arc;

pub const NAME: &str = "fold";

pub fn udf() -> ScalarUDF {
    create_udf(
        NAME,
        vec![DataType::Utf8],
        DataType::Utf8,
        Volatility::Immutable,
        Arc::new(|args: &[ColumnarValue]| {
            let Some(arg) = args.first() else {
                return Ok(ColumnarValue::Scalar(ScalarValue::Utf8(None)));
            };
            match arg {
                ColumnarValue::Scalar(ScalarValue::Utf8(text)) => Ok(ColumnarValue::Scalar(
                    ScalarValue::Utf8(text.as_deref().map(fold)),
                )),
                ColumnarValue::Scalar(other) => Ok(ColumnarValue::Scalar(other.clone())),
                ColumnarValue::Array(array) => {
                    let strings: &StringArray = as_string_array(array)?;
                    let mut out =
                        StringBuilder::with_capacity(strings.len(), strings.value_data().len());
                    for value in strings {
                        out.append_option(value.map(fold));
                    }
                    Ok(ColumnarValue::Array(Arc::new(out.finish()) as ArrayRef))
                }
            }
        }),
    )
}

/// ASCII text (most codes and numbers) needs only lower-casing.
fn fold(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        sen_domain::fold::fold(text)
    }
}
