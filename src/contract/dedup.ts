// The dedup key of docs/ingest-api.md: (clientId, seq) identifies an event, whatever its stream. The
// one way to write it as a string (ingestion's in-group dedup, the stored-key sets of both stores).

/** (clientId, seq) as one string; NUL cannot occur in a clientId (CLIENT_ID_PATTERN). */
export const eventKey = (clientId: string, seq: number): string => `${clientId}\u0000${seq}`;
