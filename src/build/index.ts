// Barrel of the build area.
export {};
