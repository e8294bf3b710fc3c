// The migrations are imported as text: tsup's `.sql` text loader, jest's text transform.
declare module '*.sql' {
  const sql: string;
  export default sql;
}
