// Barrel of the shacl area.
export {};
