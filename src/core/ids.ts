import { validate as uuidValidate, v7 as uuidv7 } from 'uuid';

/** Globally unique, time-ordered record ids (UUIDv7), so that sites can merge without clashes. */
export function newId(): string {
  return uuidv7();
}

export function isUuid(value: string): boolean {
  return uuidValidate(value);
}
