// The streams table's input is the read model's (src/analytics/filters.ts): the dashboard parses
// its URL into the same shape on the client.
export { ZStreamsInput, type TStreamsInput } from "~/analytics/filters";
