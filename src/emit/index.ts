// Barrel of the emit area: TROs built by SPARQL CONSTRUCT and framed to canonical bytes.
export {};
