//! The seat stepper: the WAI-ARIA APG spin button pattern for a seat count (rule R5).
//!
//! The rules (parsing what the user typed, stepping with the keys, what happens above the
//! maximum) live in [`SeatRange`], a plain type tested natively; [`SeatStepper`] only wires them
//! to the DOM.

use std::sync::atomic::{AtomicU32, Ordering};

use leptos::prelude::*;

/// The seats a tier allows, `[min, max]` (rule R5), and the stepper's rules over it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeatRange {
    min: u32,
    max: u32,
}

/// What a typed text or a key press asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeatInput {
    /// A seat count inside the range: accept it.
    Valid(u32),
    /// More seats than the tier allows: offer "contact sales" instead (R5).
    AboveMax,
    /// A whole number below the minimum.
    BelowMin,
    /// Not a whole number (empty, letters, decimals, signs).
    NotANumber,
}

/// The keys of the spin button pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKey {
    /// `ArrowUp`: one more.
    Up,
    /// `ArrowDown`: one fewer.
    Down,
    /// `PageUp`: ten more.
    PageUp,
    /// `PageDown`: ten fewer.
    PageDown,
    /// `Home`: the minimum.
    Home,
    /// `End`: the maximum.
    End,
}

/// How many seats `PageUp` and `PageDown` move.
pub const PAGE_STEP: u32 = 10;

impl StepKey {
    /// The step key of a `KeyboardEvent.key` value, if it is one.
    pub fn from_key(key: &str) -> Option<StepKey> {
        match key {
            "ArrowUp" | "Up" => Some(StepKey::Up),
            "ArrowDown" | "Down" => Some(StepKey::Down),
            "PageUp" => Some(StepKey::PageUp),
            "PageDown" => Some(StepKey::PageDown),
            "Home" => Some(StepKey::Home),
            "End" => Some(StepKey::End),
            _ => None,
        }
    }
}

impl SeatRange {
    /// The range `[min, max]`; a `max` below `min` is taken as `min`.
    pub fn new(min: u32, max: u32) -> SeatRange {
        SeatRange {
            min,
            max: max.max(min),
        }
    }

    /// The fewest seats allowed.
    pub fn min(self) -> u32 {
        self.min
    }

    /// The most seats allowed.
    pub fn max(self) -> u32 {
        self.max
    }

    /// `value` brought inside the range.
    pub fn clamp(self, value: u32) -> u32 {
        value.clamp(self.min, self.max)
    }

    /// Reads what the user typed: only plain decimal digits (surrounding spaces allowed) are a
    /// number; anything else is [`SeatInput::NotANumber`].
    pub fn parse(self, text: &str) -> SeatInput {
        let text = text.trim();
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return SeatInput::NotANumber;
        }
        // All digits: a number too long for u64 is certainly above the maximum.
        match text.parse::<u64>() {
            Ok(n) if n > u64::from(self.max) => SeatInput::AboveMax,
            Ok(n) if n < u64::from(self.min) => SeatInput::BelowMin,
            Ok(n) => u32::try_from(n).map_or(SeatInput::AboveMax, SeatInput::Valid),
            Err(_) => SeatInput::AboveMax,
        }
    }

    /// The result of pressing `key` while the stepper shows `value`.
    ///
    /// Stepping down stops at the minimum. Stepping up stops at the maximum, and stepping up *from*
    /// the maximum is [`SeatInput::AboveMax`], so the stepper offers "contact sales" (R5).
    pub fn step(self, value: u32, key: StepKey) -> SeatInput {
        let value = self.clamp(value);
        let up = |by: u32| {
            if value >= self.max {
                SeatInput::AboveMax
            } else {
                SeatInput::Valid(value.saturating_add(by).min(self.max))
            }
        };
        let down = |by: u32| SeatInput::Valid(value.saturating_sub(by).max(self.min));
        match key {
            StepKey::Up => up(1),
            StepKey::PageUp => up(PAGE_STEP),
            StepKey::Down => down(1),
            StepKey::PageDown => down(PAGE_STEP),
            StepKey::Home => SeatInput::Valid(self.min),
            StepKey::End => SeatInput::Valid(self.max),
        }
    }
}

/// What the stepper's message area shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Problem {
    /// The typed text is not a whole number in range: the value on view is not a seat count.
    Invalid,
    /// The typed number is above the maximum: not a seat count either, so "contact sales" (R5).
    TypedAboveMax,
    /// A step key asked for more than the maximum: the value stays the (valid) maximum and the
    /// message only offers "contact sales" (R5).
    SteppedAboveMax,
}

impl Problem {
    /// Whether the text on view is not a seat count (so nothing may be ordered from it).
    fn is_invalid(self) -> bool {
        !matches!(self, Problem::SteppedAboveMax)
    }
}

fn next_id() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("seat-stepper-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A seat-count spin button (WAI-ARIA APG "spinbutton" pattern).
///
/// An `<input role="spinbutton">` with `aria-valuemin`, `aria-valuemax` and `aria-valuenow`, a
/// decrement and an increment button, and a message area. Typing a whole number inside
/// `[min, max]` calls `on_change`; `ArrowUp`/`ArrowDown` step by one, `PageUp`/`PageDown` by ten,
/// `Home`/`End` go to the minimum/maximum. Asking for more than `max` (typing it, or stepping up
/// from `max`) does not change the value: it shows `contact_sales_message` and a link to
/// `contact_sales_href` (rule R5). Typing anything else shows `invalid_message`. A typed text that
/// is not a seat count (a number above `max` included) sets `aria-invalid="true"` and calls
/// `on_validity(false)`, and the page must not order the last valid value while it is on view
/// (issue 12); a valid count calls `on_validity(true)`, and while the text is not a seat count
/// `aria-valuetext` says what is typed. Stepping up from `max` keeps the valid maximum: the
/// contact-sales message shows, the input stays valid. The optional `hint` (the range) and the
/// message are the input's description (`aria-describedby`); the message is a polite live region
/// that stays in the page, empty while there is nothing to say, and only its text changes.
///
/// All visible text comes from the props, so each app translates it. CSS classes:
/// `seat-stepper`, `seat-stepper__label`, `seat-stepper__controls`, `seat-stepper__button`,
/// `seat-stepper__input`, `seat-stepper__hint` (with `hint`), `seat-stepper__message` (empty
/// while valid: style `:empty` so it takes no room; HTML rendered at build time writes the empty
/// text as a space, which takes no height but is not `:empty`), `seat-stepper__contact`.
#[component]
pub fn SeatStepper(
    /// The current seat count.
    #[prop(into)]
    value: Signal<u32>,
    /// Called with every new valid seat count the user picks.
    #[prop(into)]
    on_change: Callback<u32>,
    /// The fewest seats allowed (the tier's `min_seats`).
    #[prop(into)]
    min: Signal<u32>,
    /// The most seats allowed (the tier's `max_seats`).
    #[prop(into)]
    max: Signal<u32>,
    /// The visible label of the input ("Licenze").
    #[prop(into)]
    label: Signal<String>,
    /// The accessible name of the "−" button ("Una licenza in meno").
    #[prop(into)]
    decrement_label: Signal<String>,
    /// The accessible name of the "+" button ("Una licenza in più").
    #[prop(into)]
    increment_label: Signal<String>,
    /// Shown when the typed text is not a whole number in range.
    #[prop(into)]
    invalid_message: Signal<String>,
    /// Shown when more than `max` seats are asked for.
    #[prop(into)]
    contact_sales_message: Signal<String>,
    /// The text of the "contact sales" link.
    #[prop(into)]
    contact_sales_label: Signal<String>,
    /// Where the "contact sales" link goes.
    #[prop(into)]
    contact_sales_href: Signal<String>,
    /// The id of the input (the message gets `{id}-message`); unique ids are generated when absent.
    #[prop(optional, into)]
    id: Option<String>,
    /// Called with `false` when the typed text stops being a seat count and with `true` when it
    /// is one again, so the page can hold its totals and its order action meanwhile.
    #[prop(optional, into)]
    on_validity: Option<Callback<bool>>,
    /// A hint under the input that is part of its description ("Da 1 a 250 licenze."), with the
    /// id `{id}-hint`.
    #[prop(optional, into)]
    hint: Option<Signal<String>>,
) -> impl IntoView {
    let input_id = id.unwrap_or_else(next_id);
    let message_id = format!("{input_id}-message");
    let hint_id = format!("{input_id}-hint");
    // Screen readers read the description in this order: the range, then what is wrong. Both
    // elements stay in the page, so the attribute never changes.
    let described_by = match hint {
        Some(_) => format!("{hint_id} {message_id}"),
        None => message_id.clone(),
    };
    let range = move || SeatRange::new(min.get(), max.get());
    let text = RwSignal::new(value.get_untracked().to_string());
    let problem = RwSignal::new(None::<Problem>);
    // Tells the page when the text on view stops (or starts again) being a seat count.
    let show = move |next: Option<Problem>| {
        let was_invalid = problem.get_untracked().is_some_and(Problem::is_invalid);
        let invalid = next.is_some_and(Problem::is_invalid);
        problem.set(next);
        if was_invalid != invalid
            && let Some(callback) = on_validity
        {
            callback.run(!invalid);
        }
    };

    // A new value from outside (or the echo of our own on_change) resets the text and the message.
    Effect::new(move |_| {
        let current = value.get();
        text.set(current.to_string());
        show(None);
    });

    let accept = move |input: SeatInput, typed: bool| match input {
        SeatInput::Valid(seats) => {
            show(None);
            text.set(seats.to_string());
            if seats != value.get_untracked() {
                on_change.run(seats);
            }
        }
        SeatInput::AboveMax if typed => show(Some(Problem::TypedAboveMax)),
        SeatInput::AboveMax => {
            // A step key from the maximum: the text goes back to the value, which stays valid.
            text.set(value.get_untracked().to_string());
            show(Some(Problem::SteppedAboveMax));
        }
        SeatInput::BelowMin | SeatInput::NotANumber => show(Some(Problem::Invalid)),
    };
    let press = move |key: StepKey| {
        let seats = value.get_untracked();
        accept(range().step(seats, key), false);
    };

    let invalid = move || problem.get().is_some_and(Problem::is_invalid);
    // While the text on view is not a seat count, `aria-valuenow` still holds the last valid one:
    // the text itself (or, with nothing typed, what is wrong) is what a screen reader must say.
    let value_text = move || {
        invalid().then(|| {
            let typed = text.get();
            if typed.trim().is_empty() {
                invalid_message.get()
            } else {
                typed
            }
        })
    };
    // The message's text is all that changes, in an element that stays in the page: a live region
    // added or shown at the moment it speaks is not announced by every screen reader.
    let message = move || match problem.get() {
        Some(Problem::Invalid) => invalid_message.get(),
        Some(_) => contact_sales_message.get() + " ",
        None => String::new(),
    };
    let contact = move || {
        problem
            .get()
            .is_some_and(|p| p != Problem::Invalid)
            .then(|| {
                view! {
                    <a class="seat-stepper__contact" href=contact_sales_href.get()>
                        {contact_sales_label.get()}
                    </a>
                }
            })
    };
    let hint = hint.map(|hint| {
        view! {
            <p id=hint_id class="seat-stepper__hint hint">
                {move || hint.get()}
            </p>
        }
    });
    let input_id_for_buttons = input_id.clone();
    let input_id_for_plus = input_id.clone();

    view! {
        <div class="seat-stepper">
            <label class="seat-stepper__label" for=input_id.clone()>
                {move || label.get()}
            </label>
            <div class="seat-stepper__controls">
                <button
                    type="button"
                    class="seat-stepper__button"
                    tabindex="-1"
                    aria-controls=input_id_for_buttons
                    aria-label=move || decrement_label.get()
                    disabled=move || value.get() <= min.get()
                    on:click=move |_| press(StepKey::Down)
                >
                    "−"
                </button>
                <input
                    id=input_id
                    class="seat-stepper__input"
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    role="spinbutton"
                    aria-valuemin=move || min.get().to_string()
                    aria-valuemax=move || max.get().to_string()
                    aria-valuenow=move || value.get().to_string()
                    aria-invalid=move || if invalid() { "true" } else { "false" }
                    aria-valuetext=value_text
                    aria-describedby=described_by
                    // The attribute is what HTML rendered at build time shows (the pricing
                    // widget's first paint); the property follows the text afterwards.
                    value=text.get_untracked()
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        let typed = event_target_value(&ev);
                        text.set(typed.clone());
                        accept(range().parse(&typed), true);
                    }
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if let Some(key) = StepKey::from_key(&ev.key()) {
                            ev.prevent_default();
                            press(key);
                        }
                    }
                />
                <button
                    type="button"
                    class="seat-stepper__button"
                    tabindex="-1"
                    aria-controls=input_id_for_plus
                    aria-label=move || increment_label.get()
                    on:click=move |_| press(StepKey::Up)
                >
                    "+"
                </button>
            </div>
            {hint}
            <p id=message_id class="seat-stepper__message" aria-live="polite">
                {message}
                {contact}
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEETING: SeatRange = SeatRange { min: 1, max: 250 };

    #[test]
    fn a_whole_number_in_range_is_accepted() {
        assert_eq!(MEETING.parse("8"), SeatInput::Valid(8));
        assert_eq!(MEETING.parse(" 250 "), SeatInput::Valid(250));
        assert_eq!(MEETING.parse("1"), SeatInput::Valid(1));
    }

    #[test]
    fn more_than_the_maximum_offers_contact_sales() {
        assert_eq!(MEETING.parse("251"), SeatInput::AboveMax);
        assert_eq!(
            MEETING.parse("99999999999999999999999"),
            SeatInput::AboveMax
        );
    }

    #[test]
    fn zero_is_below_the_minimum() {
        assert_eq!(MEETING.parse("0"), SeatInput::BelowMin);
    }

    #[test]
    fn text_that_is_not_a_whole_number_is_rejected() {
        for text in ["", "  ", "abc", "8.5", "-3", "+3", "1e3", "８"] {
            assert_eq!(MEETING.parse(text), SeatInput::NotANumber, "{text:?}");
        }
    }

    #[test]
    fn arrows_step_by_one_and_stop_at_the_minimum() {
        assert_eq!(MEETING.step(8, StepKey::Up), SeatInput::Valid(9));
        assert_eq!(MEETING.step(8, StepKey::Down), SeatInput::Valid(7));
        assert_eq!(MEETING.step(1, StepKey::Down), SeatInput::Valid(1));
    }

    #[test]
    fn page_keys_step_by_ten_within_the_range() {
        assert_eq!(MEETING.step(8, StepKey::PageUp), SeatInput::Valid(18));
        assert_eq!(MEETING.step(245, StepKey::PageUp), SeatInput::Valid(250));
        assert_eq!(MEETING.step(8, StepKey::PageDown), SeatInput::Valid(1));
        assert_eq!(MEETING.step(30, StepKey::PageDown), SeatInput::Valid(20));
    }

    #[test]
    fn home_and_end_go_to_the_limits() {
        assert_eq!(MEETING.step(8, StepKey::Home), SeatInput::Valid(1));
        assert_eq!(MEETING.step(8, StepKey::End), SeatInput::Valid(250));
    }

    #[test]
    fn stepping_up_from_the_maximum_offers_contact_sales() {
        assert_eq!(MEETING.step(250, StepKey::Up), SeatInput::AboveMax);
        assert_eq!(MEETING.step(250, StepKey::PageUp), SeatInput::AboveMax);
    }

    #[test]
    fn a_value_outside_the_range_is_clamped_before_stepping() {
        let webinar = SeatRange::new(1, 50);
        assert_eq!(webinar.step(80, StepKey::Down), SeatInput::Valid(49));
        assert_eq!(webinar.clamp(0), 1);
    }

    #[test]
    fn a_maximum_below_the_minimum_is_the_minimum() {
        let range = SeatRange::new(5, 2);
        assert_eq!((range.min(), range.max()), (5, 5));
    }

    #[test]
    fn only_the_spin_button_keys_are_step_keys() {
        assert_eq!(StepKey::from_key("ArrowUp"), Some(StepKey::Up));
        assert_eq!(StepKey::from_key("PageDown"), Some(StepKey::PageDown));
        assert_eq!(StepKey::from_key("End"), Some(StepKey::End));
        assert_eq!(StepKey::from_key("Enter"), None);
    }
}
