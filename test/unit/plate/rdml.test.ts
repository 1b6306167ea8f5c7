/** RDML: CRAFTED bare XML and zips (non-standard member name, sentinels, excl, namespace prefixes). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { strToU8, zipSync } from 'fflate';
import { importPlate } from '../../../src/engine/plate/index';
import { decodeCharRefs, importRdml } from '../../../src/engine/plate/rdml';
import { runQc } from '../../../src/engine/qc/index';
import { DEFAULT_QC } from '../../../src/engine/plate/model';

const XML = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<rdml version="1.2" xmlns="http://www.rdml.org" xmlns:rdml="http://www.rdml.org">',
  '<sample id="S1"><type>unkn</type></sample><sample id="N"><type>ntc</type></sample>',
  '<rdml:sample id="STD"><rdml:type>std</rdml:type><rdml:quantity><rdml:value>1000</rdml:value><rdml:unit>cop</rdml:unit></rdml:quantity></rdml:sample>',
  '<target id="GAPDH"><type>ref</type></target><target id="IL6"><type>toi</type></target>',
  '<experiment id="E"><run id="R"><pcrFormat><rows>8</rows><columns>12</columns><rowLabel>ABC</rowLabel><columnLabel>123</columnLabel></pcrFormat>',
  '  <react id="1"><sample id="S1"/><data><tar id="IL6"/><cq>24.5</cq><adp><cyc>1</cyc><fluor>0.1</fluor></adp></data><data><tar id="GAPDH"/><cq>18.25</cq></data></react>',
  '  <react id="13"><sample id="S1"/><data><tar id="IL6"/><cq>-1</cq></data></react>',
  '  <react id="14"><sample id="N"/><data><tar id="IL6"/><cq>40.0</cq></data></react>',
  '  <rdml:react id="96"><rdml:sample id="STD"/><rdml:data><rdml:tar id="IL6"/><rdml:cq>100</rdml:cq><rdml:excl>pipetting error</rdml:excl></rdml:data></rdml:react>',
  '  <react id="2"><sample id="S1"/><data><tar id="IL6"/><cq>abc</cq></data></react>',
  '</run></experiment></rdml>',
].join('\n');

test('bare RDML XML: positions from pcrFormat, sentinels -1/40/100, excl, ref targets, react lines', () => {
  const r = importPlate(XML, 'run.xml');
  const p = r.plate!;
  assert.equal(p.format, 'rdml');
  assert.deepEqual(p.wells.map((w) => [w.position, w.target, w.cq, w.noCq ?? null, w.task, w.line]), [
    ['A1', 'IL6', 24.5, null, 'unknown', 6],
    ['A1', 'GAPDH', 18.25, null, 'reference', 6],
    ['B1', 'IL6', null, 'sentinel', 'unknown', 7],
    ['B2', 'IL6', null, 'sentinel', 'ntc', 8],
    ['H12', 'IL6', null, 'sentinel', 'standard', 9],
    ['A2', 'IL6', null, null, 'unknown', 10],
  ]);
  assert.deepEqual([p.wells[4].omitted, p.wells[4].flags, p.wells[4].quantity], [true, ['EXCL:PIPETTING ERROR'], 1000]);
  assert.deepEqual(p.wells[0].ranges.row, { start: { line: 6, character: 2 }, end: { line: 6, character: 16 } });
  // 40 is plausible as a Cq: reported; -1 and 100 are not.
  const s = r.diagnostics.filter((d) => d.code === 'cq-sentinel-plausible');
  assert.equal(s.length, 1);
  assert.equal(s[0].severity, 'warning');
  assert.equal(s[0].range.start.line, 8);
  const u = r.diagnostics.find((d) => d.code === 'cq-unparseable')!;
  assert.deepEqual([u.severity, u.range.start.line], ['error', 10]);
  // The NTC with the 40 sentinel is not reported as amplified.
  assert.deepEqual(runQc(p, DEFAULT_QC, XML).filter((d) => d.code === 'ntc-amplified'), []);
});

test('RDML zip with a non-standard XML member name (as Bio-Rad writes) and broken containers', () => {
  const zip = zipSync({ 'BioRad_qPCR_melt.xml': strToU8(XML), 'other.txt': strToU8('x') });
  const r = importPlate(zip, 'biorad.rdml');
  assert.equal(r.plate!.wells.length, 6);
  assert.ok(r.plate!.wells.every((w) => w.line === 0));
  assert.equal(r.plate!.wells[0].ranges.row, undefined);
  assert.ok(r.diagnostics.some((d) => d.code === 'rdml-member-name' && d.severity === 'info'));
  const std = importPlate(zipSync({ 'rdml_data.xml': strToU8(XML) }), 'ok.rdml');
  assert.equal(std.plate!.meta['RDML member'], 'rdml_data.xml');
  const none = importPlate(zipSync({ 'readme.txt': strToU8('hi') }), 'x.rdml');
  assert.equal(none.plate, null);
  assert.match(none.diagnostics[0].message, /no RDML XML member \(members: readme\.txt\)/);
  const broken = zip.slice(0, 40);
  const b = importPlate(broken, 'x.rdml');
  assert.equal(b.plate, null);
  assert.equal(b.diagnostics[0].code, 'rdml-container');
  const bad = importPlate('<rdml version="1.2"><experiment', 'x.rdml');
  assert.equal(bad.plate, null);
  assert.equal(bad.diagnostics[0].severity, 'error');
});

/** A bare RDML document: samples and targets, then one run's reacts. */
const doc = (defs: string, reacts: string) => [
  '<?xml version="1.0" encoding="UTF-8"?>', '<rdml version="1.3" xmlns="http://www.rdml.org">', defs,
  '<experiment id="E"><run id="R"><pcrFormat><rows>8</rows><columns>12</columns><rowLabel>ABC</rowLabel><columnLabel>123</columnLabel></pcrFormat>',
  reacts, '</run></experiment></rdml>',
].join('\n');
const reactXml = (id: number, sample: string, data: [string, string][]) =>
  `<react id="${id}"><sample id="${sample}"/>${data.map(([t, cq]) => `<data><tar id="${t}"/><cq>${cq}</cq></data>`).join('')}</react>`;

test('RDML character references (decimal, hex, markup characters) are decoded in ids, attributes and text', () => {
  const xml = doc(
    '<sample id="a&#39;b &#x3C;1&#62;"><type>unkn</type></sample><target id="IL&#x36;&#x1F9EC;"><type>toi</type></target>',
    [
      '<react id="1"><sample id="a&#39;b &#x3C;1&#62;"/><data><tar id="IL&#x36;&#x1F9EC;"/><cq>2&#x34;.5</cq><excl>by &#34;eye&#34; &#38; hand</excl></data></react>',
      // Escaped references stay literal; predefined entities decode; CDATA is not touched.
      '<react id="2"><sample id="&amp;#39;&apos;&quot;&gt;"/><data><tar id="T"/><cq>20</cq><excl><![CDATA[x&#39;]]></excl></data></react>',
    ].join('\n'));
  const p = importPlate(xml, 'refs.xml').plate!;
  assert.deepEqual(p.wells.map((w) => [w.sample, w.target, w.cq, w.flags]), [
    ["a'b <1>", 'IL6\u{1F9EC}', 24.5, ['EXCL:BY "EYE" & HAND']],
    ['&#39;\'">', 'T', 20, ['EXCL:X&#39;']],
  ]);
  // Lines (0-based) are those of the document as written.
  assert.deepEqual(p.wells.map((w) => w.line), [4, 5]);
});

test('RDML invalid character references become U+FFFD (out of range, surrogates, controls), never a crash', () => {
  const bad = ['&#0;', '&#x0;', '&#xD800;', '&#57343;', '&#x110000;', '&#1;', '&#xFFFE;', `&#${'9'.repeat(400)};`, '&#x0000000000041;'];
  assert.equal(decodeCharRefs(bad.join('|')), [...Array(8).fill('\ufffd'), 'A'].join('|'));
  assert.equal(decodeCharRefs('&#9;&#xA;&#13;&#x10FFFF;&#xffFD;'), '\t\n\r\u{10FFFF}\ufffd');
  // Malformed references are not references: left alone (the parser then decides).
  assert.equal(decodeCharRefs('&#; &#x; &#12 &#xG1; &# 1;'), '&#; &#x; &#12 &#xG1; &# 1;');
  assert.equal(decodeCharRefs('<!-- &#39; --><![CDATA[&#39;]]>&#39;'), '<!-- &#39; --><![CDATA[&#39;]]>&apos;');
  const xml = doc('<sample id="S&#xD800;&#x110000;"/>', reactXml(1, 'S&#xD800;&#x110000;', [['T&#0;', '20']]));
  const r = importPlate(xml, 'bad.xml');
  assert.deepEqual(r.plate!.wells.map((w) => [w.sample, w.target]), [['S\ufffd\ufffd', 'T\ufffd']]);
  // References cannot create markup: &#60;!ENTITY is text, not a declaration.
  const sneaky = doc('<sample id="&#60;!ENTITY x &#34;y&#34;&#62;"/>', reactXml(1, '&#60;!ENTITY x &#34;y&#34;&#62;', [['T', '20']]));
  assert.equal(importPlate(sneaky, 's.xml').plate!.wells[0].sample, '<!ENTITY x "y">');
});

test('RDML character reference decoding is linear: 200k unterminated CDATA openings and 200k references', () => {
  const opens = '<![CDATA[&#39;'.repeat(200_000);
  const refs = '&#x41;'.repeat(200_000);
  const t0 = Date.now();
  assert.equal(decodeCharRefs(opens), opens);
  assert.equal(decodeCharRefs(refs), 'A'.repeat(200_000));
  assert.ok(Date.now() - t0 < 2000, `${Date.now() - t0} ms`);
});

test('RDML per-target sample types and quantities (<type targetId>, <quantity targetId>) map each well\'s task', () => {
  const defs = [
    '<sample id="S"><type targetId="A">pos</type><type targetId="B">ntc</type><type>unkn</type></sample>',
    '<sample id="Q"><type targetId="A">std</type><type targetId="B">unkn</type>',
    '  <quantity targetId="A"><value>1000</value><unit>cop</unit></quantity><quantity><value>5</value><unit>fold</unit></quantity></sample>',
    '<sample id="One"><type targetId="A">nrt</type></sample>',
    '<target id="A"><type>toi</type></target><target id="B"><type>toi</type></target><target id="C"><type>ref</type></target>',
  ].join('\n');
  const reacts = [
    reactXml(1, 'S', [['A', '30'], ['B', '35'], ['C', '20']]),
    reactXml(2, 'Q', [['A', '25'], ['B', '22'], ['C', '18']]),
    reactXml(3, 'One', [['A', '33'], ['B', '21']]),
  ].join('\n');
  const p = importPlate(doc(defs, reacts), 'types.xml').plate!;
  assert.deepEqual(p.wells.map((w) => [w.sample, w.target, w.task, w.quantity ?? null]), [
    ['S', 'A', 'positive', null], ['S', 'B', 'ntc', null], ['S', 'C', 'reference', null],
    ['Q', 'A', 'standard', 1000], ['Q', 'B', 'unknown', 5], ['Q', 'C', 'reference', 5],
    // No entry for B and none without targetId: the schema default (unkn).
    ['One', 'A', 'nrt', null], ['One', 'B', 'unknown', null],
  ]);
  // The same through a zip.
  const z = importRdml(zipSync({ 'rdml_data.xml': strToU8(doc(defs, reacts)) }), 'types.rdml', {});
  assert.deepEqual(z.plate!.wells.map((w) => w.task), p.wells.map((w) => w.task));
});
