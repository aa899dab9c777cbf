// Barrel of the audit area.
export {};
