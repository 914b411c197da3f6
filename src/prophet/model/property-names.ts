/**
 * Which strings can name a property, decided in one place for every way a
 * write enters a replica: a local edit (CLI, REST, an app, a foreign
 * tracker's connector) and a changeset from a peer (pull, push, bundle).
 * An empty name is where a record's existence is kept, and the names
 * JavaScript gives every object (`constructor`, `__proto__`...) would be
 * confused with the object's own machinery wherever properties are held.
 */
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));
const MAX_LENGTH = 256;

/** Why `name` cannot name a property, or undefined when it can. */
export function propertyNameProblem(name: string): string | undefined {
  if (name === '') return 'a property name cannot be empty';
  if (RESERVED.has(name)) return `'${name}' cannot be a property name: the name is reserved`;
  if (name.length > MAX_LENGTH) return `a property name cannot be longer than ${MAX_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return `property name ${JSON.stringify(name)} holds a control character`;
  return undefined;
}
