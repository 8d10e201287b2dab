export function AdminUsers() {
  return <h1>Benutzer</h1>;
}
export function AdminNewUser() {
  return <h1>Neuer Benutzer</h1>;
}
export function AdminUser({ userId }: { userId: string }) {
  return <h1>Benutzer {userId}</h1>;
}
