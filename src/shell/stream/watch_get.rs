//! `kubectl get … -w`.
