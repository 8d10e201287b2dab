export function AdminAuthorities() {
  return <h1>Behörden</h1>;
}
export function AdminAuthority({ ags }: { ags: string }) {
  return <h1>Behörde {ags}</h1>;
}
