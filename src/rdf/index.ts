// Barrel of the rdf area.
export {};
