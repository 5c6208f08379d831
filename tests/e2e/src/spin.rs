//! Host implementations of the Spin interfaces juli-calendar imports:
//! `fermyon:spin/variables@2.0.0` (values from a map), `fermyon:spin/key-value@2.0.0`
//! (an in-memory `default` store shared by all requests of one host), and
//! `wasi:keyvalue/store` + `wasi:keyvalue/atomics@0.2.0-draft2` on the same store, as Spin 3
//! serves both interfaces from one store per label. Compare-and-swap and increment hold the
//! store's lock for the whole operation, so they are atomic across concurrent requests.

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
            "wasi:keyvalue/store.bucket": super::WasiBucket,
            "wasi:keyvalue/atomics.cas": super::WasiCas,
        },
    });
}

pub use bindings::fermyon::spin::key_value::Error as KvError;
pub use bindings::fermyon::spin::variables::Error as VariableError;
use bindings::fermyon::spin::{key_value, variables};
use bindings::wasi::keyvalue::{atomics, store as wasi_store};

/// The only store label the manifest grants (`key_value_stores = ["default"]`).
pub const DEFAULT_STORE: &str = "default";

/// One opened store, as the guest holds it.
pub struct KvStoreHandle {
    _label: String,
}

/// One opened `wasi:keyvalue` bucket (always `default`).
pub struct WasiBucket;

/// A compare-and-swap in flight: the key and its value when the operation started.
pub struct WasiCas {
    key: String,
    seen: Option<Vec<u8>>,
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
    wasi_store::add_to_linker::<RequestState, HasSelf<RequestState>>(linker, |s| s)
        .map_err(anyhow::Error::from)?;
    atomics::add_to_linker::<RequestState, HasSelf<RequestState>>(linker, |s| s)
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

impl wasi_store::Host for RequestState {
    fn open(&mut self, identifier: String) -> Result<Resource<WasiBucket>, wasi_store::Error> {
        if identifier != DEFAULT_STORE {
            return Err(wasi_store::Error::NoSuchStore);
        }
        self.table
            .push(WasiBucket)
            .map_err(|e| wasi_store::Error::Other(e.to_string()))
    }
}

impl wasi_store::HostBucket for RequestState {
    fn get(
        &mut self,
        _bucket: Resource<WasiBucket>,
        key: String,
    ) -> Result<Option<Vec<u8>>, wasi_store::Error> {
        Ok(self.kv().get(&key).cloned())
    }

    fn set(
        &mut self,
        _bucket: Resource<WasiBucket>,
        key: String,
        value: Vec<u8>,
    ) -> Result<(), wasi_store::Error> {
        self.kv().insert(key, value);
        Ok(())
    }

    fn delete(
        &mut self,
        _bucket: Resource<WasiBucket>,
        key: String,
    ) -> Result<(), wasi_store::Error> {
        self.kv().remove(&key);
        Ok(())
    }

    fn exists(
        &mut self,
        _bucket: Resource<WasiBucket>,
        key: String,
    ) -> Result<bool, wasi_store::Error> {
        Ok(self.kv().contains_key(&key))
    }

    fn list_keys(
        &mut self,
        _bucket: Resource<WasiBucket>,
        _cursor: Option<String>,
    ) -> Result<wasi_store::KeyResponse, wasi_store::Error> {
        Ok(wasi_store::KeyResponse {
            keys: self.kv().keys().cloned().collect(),
            cursor: None,
        })
    }

    fn drop(&mut self, bucket: Resource<WasiBucket>) -> wasmtime::Result<()> {
        self.table.delete(bucket)?;
        Ok(())
    }
}

impl atomics::Host for RequestState {
    fn increment(
        &mut self,
        _bucket: Resource<WasiBucket>,
        key: String,
        delta: i64,
    ) -> Result<i64, wasi_store::Error> {
        let mut kv = self.kv();
        let current = match kv.get(&key) {
            Some(bytes) => std::str::from_utf8(bytes)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
                .ok_or_else(|| wasi_store::Error::Other(format!("{key} is not a counter")))?,
            None => 0,
        };
        let next = current.saturating_add(delta);
        kv.insert(key, next.to_string().into_bytes());
        Ok(next)
    }

    fn swap(&mut self, cas: Resource<WasiCas>, value: Vec<u8>) -> Result<(), atomics::CasError> {
        let store_error = |e: wasmtime::component::ResourceTableError| {
            atomics::CasError::StoreError(wasi_store::Error::Other(e.to_string()))
        };
        let op = self.table.delete(cas).map_err(store_error)?;
        let mut kv = self.spin.kv.lock().unwrap_or_else(|e| e.into_inner());
        let now = kv.get(&op.key).cloned();
        if now != op.seen {
            drop(kv);
            let retry = self
                .table
                .push(WasiCas {
                    key: op.key,
                    seen: now,
                })
                .map_err(store_error)?;
            return Err(atomics::CasError::CasFailed(retry));
        }
        kv.insert(op.key, value);
        Ok(())
    }
}

impl atomics::HostCas for RequestState {
    fn new(
        &mut self,
        _bucket: Resource<WasiBucket>,
        key: String,
    ) -> Result<Resource<WasiCas>, wasi_store::Error> {
        let seen = self.kv().get(&key).cloned();
        self.table
            .push(WasiCas { key, seen })
            .map_err(|e| wasi_store::Error::Other(e.to_string()))
    }

    fn current(&mut self, cas: Resource<WasiCas>) -> Result<Option<Vec<u8>>, wasi_store::Error> {
        self.table
            .get(&cas)
            .map(|op| op.seen.clone())
            .map_err(|e| wasi_store::Error::Other(e.to_string()))
    }

    fn drop(&mut self, cas: Resource<WasiCas>) -> wasmtime::Result<()> {
        self.table.delete(cas)?;
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
