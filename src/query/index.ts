// Barrel of the query area.
export {};
