//! Per-user reading options.

/// How an all-numeric date such as "3/4" is read when both numbers could be the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    /// US style: "3/4" = March 4 (the default).
    #[default]
    MonthFirst,
    /// "3/4" = 3 April.
    DayFirst,
}

impl DateOrder {
    /// "mdy" / "month_first" / "us" and "dmy" / "day_first"; `None` otherwise.
    pub fn parse(text: &str) -> Option<DateOrder> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "mdy" | "month_first" | "month_day" | "us" => Some(DateOrder::MonthFirst),
            "dmy" | "day_first" | "day_month" => Some(DateOrder::DayFirst),
            _ => None,
        }
    }

    /// The (month, day) of two numbers written in this order; a number above 12 can only
    /// be the day, whatever the order.
    pub(super) fn month_day(self, first: u32, second: u32) -> (u32, u32) {
        match self {
            _ if first > 12 && second <= 12 => (second, first),
            _ if second > 12 && first <= 12 => (first, second),
            DateOrder::MonthFirst => (first, second),
            DateOrder::DayFirst => (second, first),
        }
    }
}

/// Options that change how a phrase is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PhraseOptions {
    pub date_order: DateOrder,
}
