//! The user's settings: their values, defaults and allowed ranges. Every key is checked on its
//! own so a mistake is reported by name, and the same checks serve `recall config set`.

use serde_json::{Map, Value};

/// What happens to a card that becomes a leech.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeechAction {
    /// Mark it and keep scheduling it.
    Flag,
    /// Take it out of reviews until the user unsuspends it.
    Suspend,
}

impl LeechAction {
    pub(crate) fn name(self) -> &'static str {
        match self {
            LeechAction::Flag => "flag",
            LeechAction::Suspend => "suspend",
        }
    }
}

/// Which memory model schedules the cards. Both are kept for every card, always.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Scheduler {
    #[default]
    Sm2,
    Fsrs,
}

impl Scheduler {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scheduler::Sm2 => "sm2",
            Scheduler::Fsrs => "fsrs",
        }
    }
}

/// The user's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Settings {
    pub(crate) new_cards_per_day: u32,
    pub(crate) reviews_per_day: u32,
    pub(crate) rollover_hour: u8,
    pub(crate) leech_threshold: u32,
    pub(crate) leech_action: LeechAction,
    pub(crate) scheduler: Scheduler,
    /// FSRS's target probability of recall when a card comes due.
    pub(crate) desired_retention: f64,
    /// FSRS's 21 parameters; `None`: the published defaults.
    pub(crate) fsrs_parameters: Option<[f64; 21]>,
    /// Spread FSRS's intervals a little, so cards learnt together do not stay together.
    pub(crate) fsrs_fuzz: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            new_cards_per_day: 20,
            reviews_per_day: 200,
            rollover_hour: 4,
            leech_threshold: 8,
            leech_action: LeechAction::Flag,
            scheduler: Scheduler::Sm2,
            desired_retention: crate::schedule::fsrs::DEFAULT_DESIRED_RETENTION,
            fsrs_parameters: None,
            fsrs_fuzz: false,
        }
    }
}

/// A setting's key, meaning and allowed values, for messages and `recall config`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SettingInfo {
    pub(crate) key: &'static str,
    pub(crate) meaning: &'static str,
    pub(crate) allowed: &'static str,
    /// The allowed values in a few characters, for the settings table.
    pub(crate) choices: &'static str,
}

/// Every setting, in the order `config.json` lists them.
pub(crate) const SETTINGS: [SettingInfo; 9] = [
    SettingInfo {
        key: "new_cards_per_day",
        meaning: "new cards introduced per study day",
        allowed: "a whole number from 0 to 10000",
        choices: "0 to 10000",
    },
    SettingInfo {
        key: "reviews_per_day",
        meaning: "review cards shown per study day",
        allowed: "a whole number from 0 to 100000",
        choices: "0 to 100000",
    },
    SettingInfo {
        key: "rollover_hour",
        meaning: "local hour at which a new study day starts",
        allowed: "a whole number from 0 to 23",
        choices: "0 to 23",
    },
    SettingInfo {
        key: "leech_threshold",
        meaning: "lapses after which a card is a leech (flagged again every half as many)",
        allowed: "a whole number from 1 to 1000",
        choices: "1 to 1000",
    },
    SettingInfo {
        key: "leech_action",
        meaning: "what happens to a leech",
        allowed: "\"flag\" or \"suspend\"",
        choices: "flag | suspend",
    },
    SettingInfo {
        key: "scheduler",
        meaning: "the memory model that schedules reviews (both are always kept)",
        allowed: "\"sm2\" or \"fsrs\"",
        choices: "sm2 | fsrs",
    },
    SettingInfo {
        key: "desired_retention",
        meaning: "with fsrs: the chance of recalling a card when it comes due",
        allowed: "a number from 0.70 to 0.99",
        choices: "0.70 to 0.99",
    },
    SettingInfo {
        key: "fsrs_parameters",
        meaning: "with fsrs: its 21 parameters (`recall optimize --apply` trains them)",
        allowed: "\"default\" or a list of 21 numbers within FSRS-6's bounds",
        choices: "default | 21 numbers",
    },
    SettingInfo {
        key: "fsrs_fuzz",
        meaning: "with fsrs: spread intervals of 3 days and more by a few percent",
        allowed: "true or false",
        choices: "true | false",
    },
];

impl Settings {
    /// The value of `key` as JSON, or `None` for an unknown key.
    pub(crate) fn get(&self, key: &str) -> Option<Value> {
        Some(match key {
            "new_cards_per_day" => self.new_cards_per_day.into(),
            "reviews_per_day" => self.reviews_per_day.into(),
            "rollover_hour" => self.rollover_hour.into(),
            "leech_threshold" => self.leech_threshold.into(),
            "leech_action" => self.leech_action.name().into(),
            "scheduler" => self.scheduler.name().into(),
            "desired_retention" => self.desired_retention.into(),
            "fsrs_parameters" => match self.fsrs_parameters {
                Some(parameters) => parameters.iter().copied().map(Value::from).collect(),
                None => "default".into(),
            },
            "fsrs_fuzz" => self.fsrs_fuzz.into(),
            _ => return None,
        })
    }

    /// Changes `key` to `value`, or says why the value is not allowed.
    pub(crate) fn set(&mut self, key: &str, value: &Value) -> Result<(), String> {
        let info = info(key)?;
        let bad = || format!("{key} must be {}, not {value}", info.allowed);
        let number = |max: u64| value.as_u64().filter(|n| *n <= max).ok_or_else(bad);
        match key {
            "new_cards_per_day" => self.new_cards_per_day = number(10_000)? as u32,
            "reviews_per_day" => self.reviews_per_day = number(100_000)? as u32,
            "rollover_hour" => self.rollover_hour = number(23)? as u8,
            "leech_threshold" => {
                self.leech_threshold =
                    number(1000).and_then(|n| if n == 0 { Err(bad()) } else { Ok(n) })? as u32
            }
            "leech_action" => {
                self.leech_action = match value.as_str() {
                    Some("flag") => LeechAction::Flag,
                    Some("suspend") => LeechAction::Suspend,
                    _ => return Err(bad()),
                }
            }
            "scheduler" => {
                self.scheduler = match value.as_str() {
                    Some("sm2") => Scheduler::Sm2,
                    Some("fsrs") => Scheduler::Fsrs,
                    _ => return Err(bad()),
                }
            }
            "desired_retention" => {
                self.desired_retention = value
                    .as_f64()
                    .filter(|r| (0.70..=0.99).contains(r))
                    .ok_or_else(bad)?
            }
            "fsrs_parameters" => {
                self.fsrs_parameters = match value {
                    Value::String(text) if text == "default" => None,
                    Value::Array(items) => {
                        let numbers: Option<Vec<f64>> = items.iter().map(Value::as_f64).collect();
                        let numbers = numbers.ok_or_else(bad)?;
                        Some(
                            crate::schedule::fsrs::validate_parameters(&numbers)
                                .map_err(|why| format!("{key}: {why}"))?,
                        )
                    }
                    _ => return Err(bad()),
                }
            }
            _ => self.fsrs_fuzz = value.as_bool().ok_or_else(bad)?,
        }
        Ok(())
    }

    /// The FSRS scheduler these settings ask for.
    pub(crate) fn fsrs(&self) -> crate::schedule::fsrs::Scheduler {
        let parameters = self
            .fsrs_parameters
            .unwrap_or(crate::schedule::fsrs::DEFAULT_PARAMETERS);
        crate::schedule::fsrs::Scheduler::new(
            &parameters,
            self.desired_retention,
            crate::schedule::fsrs::DEFAULT_MAXIMUM_INTERVAL,
        )
        .unwrap_or_default()
    }

    /// The settings as the pretty JSON object written to `config.json`.
    pub(crate) fn to_json(self) -> String {
        let map: Map<String, Value> = SETTINGS
            .iter()
            .filter_map(|s| Some((s.key.to_string(), self.get(s.key)?)))
            .collect();
        let mut text = serde_json::to_string_pretty(&Value::Object(map)).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads settings from JSON text; keys left out keep their defaults.
    pub(crate) fn from_json(text: &str) -> Result<Settings, (String, Option<(usize, usize)>)> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            (
                format!("not valid JSON: {}", crate::error::json_message(&e)),
                Some((e.line(), e.column())),
            )
        })?;
        let Value::Object(map) = value else {
            return Err(("must hold a JSON object of settings".to_string(), None));
        };
        let mut settings = Settings::default();
        for (key, value) in &map {
            settings.set(key, value).map_err(|message| (message, None))?;
        }
        Ok(settings)
    }
}

/// The description of `key`, or an error listing the keys that exist.
pub(crate) fn info(key: &str) -> Result<SettingInfo, String> {
    SETTINGS.iter().find(|s| s.key == key).copied().ok_or_else(|| {
        let keys: Vec<_> = SETTINGS.iter().map(|s| s.key).collect();
        format!("unknown setting {key:?}; the settings are {}", keys.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_round_trip_through_json() {
        let text = Settings::default().to_json();
        assert!(text.contains("\"new_cards_per_day\": 20"));
        assert_eq!(Settings::from_json(&text).unwrap(), Settings::default());
        assert_eq!(Settings::from_json("{}").unwrap(), Settings::default());
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_named() {
        let (message, _) = Settings::from_json(r#"{"new_cards": 5}"#).unwrap_err();
        assert!(
            message.starts_with("unknown setting \"new_cards\"; the settings are new_cards_per_day,"),
            "{message}"
        );
        let (message, _) = Settings::from_json(r#"{"rollover_hour": "4"}"#).unwrap_err();
        assert_eq!(
            message,
            "rollover_hour must be a whole number from 0 to 23, not \"4\""
        );
        let (message, _) = Settings::from_json(r#"{"rollover_hour": 24}"#).unwrap_err();
        assert_eq!(
            message,
            "rollover_hour must be a whole number from 0 to 23, not 24"
        );
        let (message, _) = Settings::from_json(r#"{"leech_action": "delete"}"#).unwrap_err();
        assert_eq!(
            message,
            "leech_action must be \"flag\" or \"suspend\", not \"delete\""
        );
        let (message, _) = Settings::from_json(r#"{"leech_threshold": 0}"#).unwrap_err();
        assert!(message.starts_with("leech_threshold must be"));
        let (message, position) = Settings::from_json("{\n  \"a\": }").unwrap_err();
        assert!(message.starts_with("not valid JSON"), "{message}");
        assert_eq!(position, Some((2, 8)));
    }
}
