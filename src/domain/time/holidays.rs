//! Holidays by their rules: fixed dates (Christmas, Juneteenth, ...), nth/last weekday of a
//! month (Thanksgiving, Memorial Day, ...) and Easter (Gregorian computus). US federal
//! holidays plus the commonly named ones (Easter, Halloween, Valentine's Day, ...).

use chrono::{Datelike, NaiveDate, Weekday};

use crate::domain::local_time::add_days_to_date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Holiday {
    NewYearsDay,
    MlkDay,
    PresidentsDay,
    ValentinesDay,
    /// The Ides of March (15 March), an idiom for a fixed date.
    IdesOfMarch,
    StPatricksDay,
    GoodFriday,
    Easter,
    EasterMonday,
    MothersDay,
    MemorialDay,
    FathersDay,
    Juneteenth,
    IndependenceDay,
    LaborDay,
    ColumbusDay,
    Halloween,
    VeteransDay,
    Thanksgiving,
    BlackFriday,
    CyberMonday,
    ChristmasEve,
    Christmas,
    /// Dec 26 (UK, Canada, Australia).
    BoxingDay,
    NewYearsEve,
}

/// Names as token sequences (apostrophes already dropped), longest first where they share
/// a beginning.
const NAMES: &[(&[&str], Holiday)] = &[
    (&["new", "years", "eve"], Holiday::NewYearsEve),
    (&["new", "year", "eve"], Holiday::NewYearsEve),
    (&["nye"], Holiday::NewYearsEve),
    (&["new", "years", "day"], Holiday::NewYearsDay),
    (&["new", "year", "day"], Holiday::NewYearsDay),
    (&["new", "years"], Holiday::NewYearsDay),
    (&["new", "year"], Holiday::NewYearsDay),
    (&["martin", "luther", "king", "jr", "day"], Holiday::MlkDay),
    (
        &["martin", "luther", "king", "junior", "day"],
        Holiday::MlkDay,
    ),
    (&["martin", "luther", "king", "day"], Holiday::MlkDay),
    (&["martin", "luther", "kings", "day"], Holiday::MlkDay),
    (&["mlk", "jr", "day"], Holiday::MlkDay),
    (&["mlk", "day"], Holiday::MlkDay),
    (&["mlk"], Holiday::MlkDay),
    (&["presidents", "day"], Holiday::PresidentsDay),
    (&["president", "day"], Holiday::PresidentsDay),
    (&["washingtons", "birthday"], Holiday::PresidentsDay),
    (&["st", "valentines", "day"], Holiday::ValentinesDay),
    (&["saint", "valentines", "day"], Holiday::ValentinesDay),
    (&["valentines", "day"], Holiday::ValentinesDay),
    (&["valentine", "day"], Holiday::ValentinesDay),
    (&["valentines"], Holiday::ValentinesDay),
    (&["st", "patricks", "day"], Holiday::StPatricksDay),
    (&["saint", "patricks", "day"], Holiday::StPatricksDay),
    (&["st", "paddys", "day"], Holiday::StPatricksDay),
    (&["saint", "paddys", "day"], Holiday::StPatricksDay),
    (&["ides", "of", "march"], Holiday::IdesOfMarch),
    (&["ides", "of", "mar"], Holiday::IdesOfMarch),
    (&["patricks", "day"], Holiday::StPatricksDay),
    (&["good", "friday"], Holiday::GoodFriday),
    (&["easter", "sunday"], Holiday::Easter),
    (&["easter", "day"], Holiday::Easter),
    (&["easter", "monday"], Holiday::EasterMonday),
    (&["easter", "mon"], Holiday::EasterMonday),
    (&["easter"], Holiday::Easter),
    (&["mothers", "day"], Holiday::MothersDay),
    (&["memorial", "day"], Holiday::MemorialDay),
    (&["fathers", "day"], Holiday::FathersDay),
    (&["juneteenth"], Holiday::Juneteenth),
    (&["independence", "day"], Holiday::IndependenceDay),
    (&["labor", "day"], Holiday::LaborDay),
    (&["labour", "day"], Holiday::LaborDay),
    (&["columbus", "day"], Holiday::ColumbusDay),
    (&["indigenous", "peoples", "day"], Holiday::ColumbusDay),
    (&["halloween"], Holiday::Halloween),
    (&["veterans", "day"], Holiday::VeteransDay),
    (&["veteran", "day"], Holiday::VeteransDay),
    (&["thanksgiving", "day"], Holiday::Thanksgiving),
    (&["thanksgiving"], Holiday::Thanksgiving),
    (&["black", "friday"], Holiday::BlackFriday),
    (&["cyber", "monday"], Holiday::CyberMonday),
    (&["christmas", "eve"], Holiday::ChristmasEve),
    (&["xmas", "eve"], Holiday::ChristmasEve),
    (&["christmas", "day"], Holiday::Christmas),
    (&["xmas", "day"], Holiday::Christmas),
    (&["boxing", "day"], Holiday::BoxingDay),
    (&["christmas"], Holiday::Christmas),
    (&["xmas"], Holiday::Christmas),
];

/// The holiday named at the start of `tokens`, and how many tokens the name takes.
pub(super) fn holiday_at(tokens: &[String]) -> Option<(Holiday, usize)> {
    NAMES.iter().find_map(|(words, holiday)| {
        let matches =
            words.len() <= tokens.len() && words.iter().zip(tokens).all(|(w, t)| *w == t.as_str());
        matches.then_some((*holiday, words.len()))
    })
}

impl Holiday {
    /// The holiday's date in `year`.
    pub(super) fn date_in(self, year: i32) -> Option<NaiveDate> {
        use Weekday::{Mon, Sun, Thu};
        let fixed = |m, d| NaiveDate::from_ymd_opt(year, m, d);
        match self {
            Holiday::NewYearsDay => fixed(1, 1),
            Holiday::MlkDay => nth_weekday(year, 1, Mon, 3),
            Holiday::PresidentsDay => nth_weekday(year, 2, Mon, 3),
            Holiday::ValentinesDay => fixed(2, 14),
            Holiday::IdesOfMarch => fixed(3, 15),
            Holiday::StPatricksDay => fixed(3, 17),
            Holiday::GoodFriday => easter(year).map(|d| add_days_to_date(d, -2)),
            Holiday::Easter => easter(year),
            Holiday::EasterMonday => easter(year).map(|d| add_days_to_date(d, 1)),
            Holiday::MothersDay => nth_weekday(year, 5, Sun, 2),
            Holiday::MemorialDay => nth_weekday(year, 5, Mon, -1),
            Holiday::FathersDay => nth_weekday(year, 6, Sun, 3),
            Holiday::Juneteenth => fixed(6, 19),
            Holiday::IndependenceDay => fixed(7, 4),
            Holiday::LaborDay => nth_weekday(year, 9, Mon, 1),
            Holiday::ColumbusDay => nth_weekday(year, 10, Mon, 2),
            Holiday::Halloween => fixed(10, 31),
            Holiday::VeteransDay => fixed(11, 11),
            Holiday::Thanksgiving => nth_weekday(year, 11, Thu, 4),
            Holiday::BlackFriday => nth_weekday(year, 11, Thu, 4).map(|d| add_days_to_date(d, 1)),
            Holiday::CyberMonday => nth_weekday(year, 11, Thu, 4).map(|d| add_days_to_date(d, 4)),
            Holiday::ChristmasEve => fixed(12, 24),
            Holiday::Christmas => fixed(12, 25),
            Holiday::BoxingDay => fixed(12, 26),
            Holiday::NewYearsEve => fixed(12, 31),
        }
    }

    /// The next occurrence on or after `today`.
    /// The latest one strictly before `today`.
    pub(super) fn last_before(self, today: NaiveDate) -> Option<NaiveDate> {
        (today.year() - 1..=today.year())
            .rev()
            .filter_map(|y| self.date_in(y))
            .find(|d| *d < today)
    }

    pub(super) fn next_on_or_after(self, today: NaiveDate) -> Option<NaiveDate> {
        (today.year()..=today.year() + 1)
            .filter_map(|y| self.date_in(y))
            .find(|d| *d >= today)
    }
}

/// The `n`th `weekday` of a month (1-based); `n = -1` is the last one.
pub(super) fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: i32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    if n < 0 {
        // n = -1 the last one, -2 the second to last, ...
        let next_month = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        let last = next_month.pred_opt()?;
        let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
        let date = add_days_to_date(last, -i64::from(back) - 7 * i64::from(-n - 1));
        return (date.month() == month).then_some(date);
    }
    let ahead = (7 + weekday.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
    let date = add_days_to_date(first, i64::from(ahead) + 7 * i64::from(n - 1));
    (date.month() == month).then_some(date)
}

/// Easter Sunday (Gregorian calendar, anonymous computus).
pub(super) fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_matches_known_dates() {
        assert_eq!(easter(2024), Some(ymd(2024, 3, 31)));
        assert_eq!(easter(2025), Some(ymd(2025, 4, 20)));
        assert_eq!(easter(2026), Some(ymd(2026, 4, 5)));
        assert_eq!(easter(2038), Some(ymd(2038, 4, 25)));
    }

    #[test]
    fn weekday_rules_give_the_federal_dates() {
        assert_eq!(Holiday::Thanksgiving.date_in(2026), Some(ymd(2026, 11, 26)));
        assert_eq!(Holiday::MemorialDay.date_in(2027), Some(ymd(2027, 5, 31)));
        assert_eq!(Holiday::LaborDay.date_in(2026), Some(ymd(2026, 9, 7)));
        assert_eq!(Holiday::MlkDay.date_in(2027), Some(ymd(2027, 1, 18)));
        assert_eq!(nth_weekday(2026, 12, Weekday::Fri, 5), None);
    }

    #[test]
    fn names_are_matched_longest_first() {
        let toks: Vec<String> = ["new", "years", "eve", "at"].map(String::from).to_vec();
        assert_eq!(holiday_at(&toks), Some((Holiday::NewYearsEve, 3)));
        let toks: Vec<String> = ["easter", "monday"].map(String::from).to_vec();
        assert_eq!(holiday_at(&toks), Some((Holiday::EasterMonday, 2)));
        let toks: Vec<String> = ["ides", "of", "march"].map(String::from).to_vec();
        assert_eq!(holiday_at(&toks), Some((Holiday::IdesOfMarch, 3)));
        assert_eq!(
            Holiday::IdesOfMarch.next_on_or_after(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
            NaiveDate::from_ymd_opt(2027, 3, 15)
        );
    }
}
