// Barrel of the hash area.
export {};
