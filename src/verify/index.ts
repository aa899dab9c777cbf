// Barrel of the verify area.
export {};
