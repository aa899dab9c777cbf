// Barrel of the convert area.
export {};
