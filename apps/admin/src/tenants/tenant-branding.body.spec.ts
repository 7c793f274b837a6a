import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdminProblem } from '../errors/admin-problem.js';
import { normalizeBranding, parseBranding, presentBranding } from './tenant-branding.body.js';

function problemOf(run: () => unknown): { field: string | undefined; message: string } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AdminProblem);
    assert.equal(error.code, 'validation_failed');
    return { field: error.field, message: error.message };
  }
  assert.fail('expected a validation problem');
}

const fieldOf = (value: unknown) => problemOf(() => parseBranding(value)).field;

describe('tenant branding on the wire', () => {
  it('maps the wire names, lower-cases the colour, trims the title; {} is the default look and absent is no change', () => {
    assert.deepEqual(
      parseBranding({
        logo_uri: 'https://cdn.acme.example/logo.svg',
        primary_color: '#1A2B3C',
        page_title: '  Acme Sign-in ',
        support_uri: 'mailto:help@acme.example',
      }),
      {
        logoUri: 'https://cdn.acme.example/logo.svg',
        primaryColor: '#1a2b3c',
        pageTitle: 'Acme Sign-in',
        supportUri: 'mailto:help@acme.example',
      },
    );
    assert.deepEqual(parseBranding({}), {});
    assert.deepEqual(parseBranding({ page_title: 'Acme', logo_uri: null }), { pageTitle: 'Acme' }, 'null is not set');
    assert.equal(parseBranding(undefined), undefined);
  });

  it('accepts a data:image logo up to 60 KiB, loopback http while developing, and an https support page', () => {
    const svg = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}`;
    assert.equal(parseBranding({ logo_uri: svg })?.logoUri, svg);
    const large = `data:image/png;base64,${'A'.repeat(61_440 - 22 - 2)}`;
    assert.equal(parseBranding({ logo_uri: large })?.logoUri, large);
    assert.equal(parseBranding({ logo_uri: 'http://localhost:8080/logo.png' })?.logoUri, 'http://localhost:8080/logo.png');
    assert.equal(parseBranding({ support_uri: 'https://help.acme.example/' })?.supportUri, 'https://help.acme.example/');
  });

  it('refuses bad values, naming branding.<member>', () => {
    const cases: [unknown, string | undefined][] = [
      [null, 'branding'],
      ['acme', 'branding'],
      [['#ffffff'], 'branding'],
      [{ logo: 'https://acme.example/logo.png' }, 'branding.logo'],
      [{ logoUri: 'https://acme.example/logo.png' }, 'branding.logoUri'],
      [JSON.parse('{"__proto__": "x"}'), 'branding.__proto__'],
      [{ logo_uri: 'javascript:alert(1)' }, 'branding.logo_uri'],
      [{ logo_uri: 'http://example.com/logo.png' }, 'branding.logo_uri'],
      [{ logo_uri: 'https://acme.example@evil.example/logo.png' }, 'branding.logo_uri'],
      [{ logo_uri: `data:image/png;base64,${'A'.repeat(61_440)}` }, 'branding.logo_uri'],
      [{ logo_uri: 'data:text/html;base64,PHNjcmlwdD4=' }, 'branding.logo_uri'],
      [{ logo_uri: `https://acme.example/${'a'.repeat(2000)}` }, 'branding.logo_uri'],
      [{ logo_uri: 42 }, 'branding.logo_uri'],
      [{ primary_color: '#fff' }, 'branding.primary_color'],
      [{ primary_color: 'red' }, 'branding.primary_color'],
      [{ primary_color: '#12345g' }, 'branding.primary_color'],
      [{ primary_color: '1a2b3c' }, 'branding.primary_color'],
      [{ primary_color: '#1a2b3c80' }, 'branding.primary_color'],
      [{ page_title: '' }, 'branding.page_title'],
      [{ page_title: '   ' }, 'branding.page_title'],
      [{ page_title: 'x'.repeat(101) }, 'branding.page_title'],
      [{ page_title: 'Acme\nBank' }, 'branding.page_title'],
      [{ page_title: 'Acme\u202eknaB' }, 'branding.page_title'],
      [{ support_uri: 'mailto:' }, 'branding.support_uri'],
      [{ support_uri: 'tel:+15551234' }, 'branding.support_uri'],
      [{ support_uri: 'data:image/png;base64,AAAA' }, 'branding.support_uri'],
    ];
    for (const [value, field] of cases) assert.equal(fieldOf(value), field, JSON.stringify(value));
    assert.equal(parseBranding({ page_title: 'x'.repeat(100) })?.pageTitle?.length, 100);
  });

  it('says what it expects', () => {
    assert.match(problemOf(() => parseBranding({ primary_color: 'red' })).message, /#rrggbb/);
    assert.match(
      problemOf(() => parseBranding({ logo_uri: 'http://example.com/x.png' })).message,
      /^branding\.logo_uri must be an https URL/,
    );
    assert.match(problemOf(() => parseBranding({ colour: '#ffffff' })).message, /known: logo_uri, primary_color, page_title, support_uri/);
  });

  it('normalizes what in-process callers pass, and presents only the members set', () => {
    assert.deepEqual(normalizeBranding({ primaryColor: '#ABCDEF' }), { primaryColor: '#abcdef' });
    assert.equal(problemOf(() => normalizeBranding({ supportUri: 'javascript:alert(1)' })).field, 'branding.support_uri');
    assert.deepEqual(presentBranding({ pageTitle: 'Acme', primaryColor: '#abcdef' }), { primary_color: '#abcdef', page_title: 'Acme' });
    assert.deepEqual(presentBranding({}), {});
  });
});
