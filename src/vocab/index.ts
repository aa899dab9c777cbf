// Barrel of the vocab area.
export {};
