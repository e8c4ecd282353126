/** Fills `{{name}}` placeholders the way ESLint does, so CLI and ESLint print the same text. */
export function formatMessage(template: string, data: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{\s*([^{}]+?)\s*\}\}/gu, (whole, name: string) =>
    Object.hasOwn(data, name) ? String(data[name]) : whole,
  );
}
