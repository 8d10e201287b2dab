import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Test support: xmllint and the XSD directory (env NOTBETRIEB_XSD_DIR, default ../shared/xsd
 * relative to the repository). Locally a missing tool skips with a message; under CI=true it fails.
 */
export interface XmlTools {
  xmllint: string;
  xsdDir: string;
}

export function findXmlTools(): { tools?: XmlTools; missing?: string } {
  const xsdDir = path.resolve(
    process.env.NOTBETRIEB_XSD_DIR ?? path.join(process.cwd(), '..', 'shared', 'xsd'),
  );
  let xmllint: string | undefined;
  for (const candidate of ['/usr/bin/xmllint', '/usr/local/bin/xmllint']) {
    if (fs.existsSync(candidate)) xmllint = candidate;
  }
  if (!xmllint) {
    try {
      xmllint = execFileSync('sh', ['-c', 'command -v xmllint'], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      xmllint = undefined;
    }
  }
  const missing: string[] = [];
  if (!xmllint) missing.push('xmllint (Paket libxml2-utils)');
  if (!fs.existsSync(path.join(xsdDir, 'xpersonenstand175')))
    missing.push(`XSD-Verzeichnis ${xsdDir}/xpersonenstand175`);
  if (missing.length > 0) {
    const msg = `Fehlt: ${missing.join(', ')}`;
    if (process.env.CI === 'true') throw new Error(`${msg} – unter CI müssen die XML-Prüfungen laufen.`);
    console.warn(`\n⚠  ${msg} – XML-Prüfungen werden übersprungen.\n`);
    return { missing: msg };
  }
  return { tools: { xmllint: xmllint as string, xsdDir } };
}

/** Runs xmllint --noout on a file; returns '' when well-formed, else the error text. */
export function wellFormednessErrors(tools: XmlTools, file: string): string {
  try {
    execFileSync(tools.xmllint, ['--noout', '--nonet', file], { encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
}

/**
 * Validates a file against an XSD with xmllint (full schema validation: the schema and everything
 * it includes and imports must compile); returns '' when valid, else xmllint's error text.
 */
export function schemaValidationErrors(tools: XmlTools, xsdFile: string, file: string): string {
  try {
    execFileSync(tools.xmllint, ['--noout', '--nonet', '--schema', xsdFile, file], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return '';
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
}

/** Evaluates an XPath expression with xmllint (string result). */
export function xpath(tools: XmlTools, file: string, expr: string): string {
  return execFileSync(tools.xmllint, ['--nonet', '--xpath', expr, file], {
    encoding: 'utf8',
    stdio: 'pipe',
  }).trim();
}

/**
 * Names of the required (minOccurs != 0) child elements of a global element's own sequence in an
 * XSD, in order — read from the schema itself, so the test follows the schema.
 */
export function requiredChildrenOfElement(tools: XmlTools, xsdFile: string, elementName: string): string[] {
  const expr = `//*[local-name()='element' and @name='${elementName}']//*[local-name()='extension']/*[local-name()='sequence']/*[local-name()='element' and not(@minOccurs='0')]/@name`;
  return attrValues(xpath(tools, xsdFile, expr));
}

/** Required child elements of a named complex type (own sequence, no base type). */
export function requiredChildrenOfType(tools: XmlTools, xsdFile: string, typeName: string): string[] {
  const expr = `//*[local-name()='complexType' and @name='${typeName}']//*[local-name()='sequence']/*[local-name()='element' and not(@minOccurs='0')]/@name`;
  return attrValues(xpath(tools, xsdFile, expr));
}

function attrValues(out: string): string[] {
  return [...out.matchAll(/name="([^"]+)"/g)].map((m) => m[1] as string);
}

/** Validates a file against an XSD with xmllint; returns '' when valid, else the error text. */
export function schemaErrors(tools: XmlTools, xsdFile: string, file: string): string {
  try {
    execFileSync(tools.xmllint, ['--noout', '--nonet', '--schema', xsdFile, file], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return '';
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
}

/** The EPC pain.001.001.09 schema (SEPA credit transfer, implementation guideline 2025). */
export function sepaXsd(tools: XmlTools): string {
  return path.join(tools.xsdDir, 'sepa', 'EPC132-08_2025_V1.0_pain.001.001.09.xsd');
}
