-- +goose Up
-- Procurement thresholds (internal/procurement): EU thresholds and national
-- value limits as data with validity and legal source. Dates are calendar
-- days written YYYY-MM-DD (valid_until is the last day, NULL while
-- open-ended); amount_net is in euro cents without VAT. updated_at and
-- updated_by are NULL for values as shipped. Values are never deleted
-- (operators end their validity), so what applied on a day stays visible.
--
-- Shipped: the EU thresholds from 1 January 2026 (Delegated Regulations
-- (EU) 2025/2150, 2025/2151 and 2025/2152 of 22 October 2025; values taken
-- from several published summaries, not checked against the Official
-- Journal itself), the fixed values for social services (Art. 4(d)
-- Directive 2014/24/EU, Art. 15(c) Directive 2014/25/EU) and the federal
-- direct-award limits of § 14 UVgO and § 3a(4) VOB/A. State values are
-- added by operators with their legal source.
CREATE TABLE procurement_thresholds (
    id             TEXT PRIMARY KEY,
    scope          TEXT NOT NULL,            -- eu | national
    jurisdiction   TEXT NOT NULL,            -- EU, DE or a state key 01–16
    contract_type  TEXT NOT NULL,
    authority_type TEXT NOT NULL DEFAULT '', -- '' = every authority (national values)
    procedure_type TEXT NOT NULL DEFAULT '', -- national values only
    amount_net     BIGINT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_until    TEXT,
    source_text    TEXT NOT NULL,
    source_url     TEXT NOT NULL DEFAULT '',
    updated_at     TIMESTAMPTZ,
    updated_by     TEXT
);
CREATE INDEX procurement_thresholds_lookup ON procurement_thresholds (scope, jurisdiction, contract_type);
-- +goose StatementBegin
INSERT INTO procurement_thresholds (id, scope, jurisdiction, contract_type, authority_type, procedure_type, amount_net, valid_from, valid_until, source_text, source_url) VALUES
('019ab000-0000-7000-8000-000000000001', 'eu', 'EU', 'supplies_services', 'central', '', 14000000, '2026-01-01', '2027-12-31', 'Art. 4 lit. b RL 2014/24/EU in der Fassung der Delegierten Verordnung (EU) 2025/2152 vom 22.10.2025; § 106 GWB (oberste und obere Bundesbehörden)', 'https://www.gesetze-im-internet.de/gwb/__106.html'),
('019ab000-0000-7000-8000-000000000002', 'eu', 'EU', 'supplies_services', 'sub_central', '', 21600000, '2026-01-01', '2027-12-31', 'Art. 4 lit. c RL 2014/24/EU in der Fassung der Delegierten Verordnung (EU) 2025/2152 vom 22.10.2025; § 106 GWB', 'https://www.gesetze-im-internet.de/gwb/__106.html'),
('019ab000-0000-7000-8000-000000000003', 'eu', 'EU', 'supplies_services', 'sector', '', 43200000, '2026-01-01', '2027-12-31', 'Art. 15 lit. a RL 2014/25/EU in der Fassung der Delegierten Verordnungen (EU) 2025/2150–2025/2152 vom 22.10.2025; § 106 GWB', 'https://www.gesetze-im-internet.de/gwb/__106.html'),
('019ab000-0000-7000-8000-000000000004', 'eu', 'EU', 'works', 'central', '', 540400000, '2026-01-01', '2027-12-31', 'Art. 4 lit. a RL 2014/24/EU in der Fassung der Delegierten Verordnung (EU) 2025/2152 vom 22.10.2025; § 106 GWB', 'https://www.gesetze-im-internet.de/gwb/__106.html'),
('019ab000-0000-7000-8000-000000000005', 'eu', 'EU', 'works', 'sub_central', '', 540400000, '2026-01-01', '2027-12-31', 'Art. 4 lit. a RL 2014/24/EU in der Fassung der Delegierten Verordnung (EU) 2025/2152 vom 22.10.2025; § 106 GWB', 'https://www.gesetze-im-internet.de/gwb/__106.html'),
('019ab000-0000-7000-8000-000000000006', 'eu', 'EU', 'works', 'sector', '', 540400000, '2026-01-01', '2027-12-31', 'Art. 15 lit. b RL 2014/25/EU in der Fassung der Delegierten Verordnungen (EU) 2025/2150–2025/2152 vom 22.10.2025; § 106 GWB', 'https://www.gesetze-im-internet.de/gwb/__106.html'),
('019ab000-0000-7000-8000-000000000007', 'eu', 'EU', 'social_services', 'central', '', 75000000, '2026-01-01', NULL, 'Art. 4 lit. d RL 2014/24/EU (fester Wert, wird nicht angepasst); § 106 GWB', 'https://www.gesetze-im-internet.de/gwb/__106.html'),
('019ab000-0000-7000-8000-000000000008', 'eu', 'EU', 'social_services', 'sub_central', '', 75000000, '2026-01-01', NULL, 'Art. 4 lit. d RL 2014/24/EU (fester Wert, wird nicht angepasst); § 106 GWB', 'https://www.gesetze-im-internet.de/gwb/__106.html'),
('019ab000-0000-7000-8000-000000000009', 'eu', 'EU', 'social_services', 'sector', '', 100000000, '2026-01-01', NULL, 'Art. 15 lit. c RL 2014/25/EU (fester Wert, wird nicht angepasst); § 106 GWB', 'https://www.gesetze-im-internet.de/gwb/__106.html'),
('019ab000-0000-7000-8000-000000000010', 'eu', 'EU', 'concessions', 'central', '', 540400000, '2026-01-01', '2027-12-31', 'Art. 8 RL 2014/23/EU in der Fassung der Delegierten Verordnungen (EU) 2025/2150–2025/2152 vom 22.10.2025; § 106 GWB', 'https://www.gesetze-im-internet.de/gwb/__106.html'),
('019ab000-0000-7000-8000-000000000011', 'eu', 'EU', 'concessions', 'sub_central', '', 540400000, '2026-01-01', '2027-12-31', 'Art. 8 RL 2014/23/EU in der Fassung der Delegierten Verordnungen (EU) 2025/2150–2025/2152 vom 22.10.2025; § 106 GWB', 'https://www.gesetze-im-internet.de/gwb/__106.html'),
('019ab000-0000-7000-8000-000000000012', 'eu', 'EU', 'concessions', 'sector', '', 540400000, '2026-01-01', '2027-12-31', 'Art. 8 RL 2014/23/EU in der Fassung der Delegierten Verordnungen (EU) 2025/2150–2025/2152 vom 22.10.2025; § 106 GWB', 'https://www.gesetze-im-internet.de/gwb/__106.html'),
('019ab000-0000-7000-8000-000000000013', 'national', 'DE', 'supplies_services', '', 'direct_award', 100000, '2017-09-02', NULL, '§ 14 UVgO (Direktauftrag bis 1.000 Euro ohne Umsatzsteuer), Bundesfassung; Länder und Bund können höhere Wertgrenzen in ihrem Haushaltsrecht festlegen', ''),
('019ab000-0000-7000-8000-000000000014', 'national', 'DE', 'works', '', 'direct_award', 300000, '2019-03-01', NULL, '§ 3a Abs. 4 VOB/A 2019 (Direktauftrag bis 3.000 Euro ohne Umsatzsteuer), Bundesfassung; Länder können höhere Wertgrenzen festlegen', '');
-- +goose StatementEnd

-- +goose Down
DROP TABLE procurement_thresholds;
