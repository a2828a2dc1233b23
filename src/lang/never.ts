/**
 * The `default:` of a switch over a closed union: the compiler rejects the call while a kind is
 * left unhandled, so adding a kind lists every switch that must decide what to do with it.
 */
export function assertNever(value: never): never {
  throw new Error(`internal: unhandled kind ${JSON.stringify(value)}`);
}
