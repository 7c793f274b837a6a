const DEFAULT_PRIMARY = '#0b57d0';
const HEX = /^#[0-9a-f]{6}$/i;

/**
 * The custom properties a tenant's primary colour sets: the colour itself for buttons and
 * accents, and the text on it, black or white, whichever contrasts more: one of them always reaches WCAG 2.1 AA (4.5:1).
 * Anything but `#rrggbb` falls back to the default: the value lands inside a <style>.
 */
export function themeProperties(primaryColor: string | undefined): string {
  const primary = primaryColor !== undefined && HEX.test(primaryColor) ? primaryColor.toLowerCase() : DEFAULT_PRIMARY;
  const onPrimary = contrast(primary, '#ffffff') >= contrast(primary, '#000000') ? '#ffffff' : '#000000';
  return `:root { --gh-primary: ${primary}; --gh-on-primary: ${onPrimary}; }`;
}

/** WCAG 2.1 contrast ratio of two `#rrggbb` colours. */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

function luminance(hex: string): number {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}
