// Barrel of the validate area.
export {};
