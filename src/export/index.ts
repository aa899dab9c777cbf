// Barrel of the export area: a record packaged for repositories (RO-Crate 1.2).
export { RO_CRATE_CONTEXT, RO_CRATE_SPEC, RO_CRATE_METADATA_FILE, SIGNATURE_SUFFIX, type CrateEntity, type RoCrate, buildRoCrate } from './ro-crate.js';
