// Barrel of the conformance area.
export {};
