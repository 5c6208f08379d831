//! Host implementations of the two Spin interfaces juli-calendar imports:
//! `fermyon:spin/variables@2.0.0` (values from a map) and `fermyon:spin/key-value@2.0.0`
//! (an in-memory `default` store shared by all requests of one host).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use wasmtime::component::{HasSelf, Linker, Resource};

use crate::state::RequestState;

mod bindings {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "fermyon:spin/host",
        with: {
            "fermyon:spin/key-value.store": super::KvStoreHandle,
        },
    });
}

pub use bindings::fermyon::spin::key_value::Error as KvError;
pub use bindings::fermyon::spin::variables::Error as VariableError;
use bindings::fermyon::spin::{key_value, variables};

/// The only store label the manifest grants (`key_value_stores = ["default"]`).
pub const DEFAULT_STORE: &str = "default";

/// One opened store, as the guest holds it.
pub struct KvStoreHandle {
    _label: String,
}

/// The shared contents of the `default` store.
pub type KvData = Arc<Mutex<BTreeMap<String, Vec<u8>>>>;

/// What the Spin interfaces read: the variables and the store, shared by every request.
#[derive(Clone, Default)]
pub struct SpinState {
    pub variables: Arc<HashMap<String, String>>,
    pub kv: KvData,
}

/// Adds both interfaces to the linker.
pub fn add_to_linker(linker: &mut Linker<RequestState>) -> anyhow::Result<()> {
    variables::add_to_linker::<RequestState, HasSelf<RequestState>>(linker, |s| s)
        .map_err(anyhow::Error::from)?;
    key_value::add_to_linker::<RequestState, HasSelf<RequestState>>(linker, |s| s)
        .map_err(anyhow::Error::from)?;
    Ok(())
}

/// Spin's rule for variable names: lower-case letters, digits and underscores, starting with a letter.
fn valid_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl variables::Host for RequestState {
    fn get(&mut self, name: String) -> Result<String, VariableError> {
        if !valid_variable_name(&name) {
            return Err(VariableError::InvalidName(format!(
                "invalid variable name {name:?}"
            )));
        }
        match self.spin.variables.get(&name) {
            Some(value) => Ok(value.clone()),
            None => Err(VariableError::Undefined(format!(
                "no variable for {name:?}"
            ))),
        }
    }
}

impl key_value::Host for RequestState {}

impl RequestState {
    fn kv(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Vec<u8>>> {
        self.spin.kv.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl key_value::HostStore for RequestState {
    fn open(&mut self, label: String) -> Result<Resource<KvStoreHandle>, KvError> {
        if label != DEFAULT_STORE {
            return Err(KvError::NoSuchStore);
        }
        self.table
            .push(KvStoreHandle { _label: label })
            .map_err(|_| KvError::StoreTableFull)
    }

    fn get(
        &mut self,
        _store: Resource<KvStoreHandle>,
        key: String,
    ) -> Result<Option<Vec<u8>>, KvError> {
        Ok(self.kv().get(&key).cloned())
    }

    fn set(
        &mut self,
        _store: Resource<KvStoreHandle>,
        key: String,
        value: Vec<u8>,
    ) -> Result<(), KvError> {
        self.kv().insert(key, value);
        Ok(())
    }

    fn delete(&mut self, _store: Resource<KvStoreHandle>, key: String) -> Result<(), KvError> {
        self.kv().remove(&key);
        Ok(())
    }

    fn exists(&mut self, _store: Resource<KvStoreHandle>, key: String) -> Result<bool, KvError> {
        Ok(self.kv().contains_key(&key))
    }

    fn get_keys(&mut self, _store: Resource<KvStoreHandle>) -> Result<Vec<String>, KvError> {
        Ok(self.kv().keys().cloned().collect())
    }

    fn drop(&mut self, store: Resource<KvStoreHandle>) -> wasmtime::Result<()> {
        self.table.delete(store)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::valid_variable_name;

    #[test]
    fn variable_names_follow_spin_rules() {
        assert!(valid_variable_name("openai_api_key"));
        assert!(valid_variable_name("a2a_issuers"));
        assert!(!valid_variable_name("OpenAI"));
        assert!(!valid_variable_name("2fa"));
        assert!(!valid_variable_name(""));
        assert!(!valid_variable_name("a-b"));
    }
}
