// Barrel of the TRO area: the typed model, dialect detection, reading documents into the model.
export type * from './model.js';
