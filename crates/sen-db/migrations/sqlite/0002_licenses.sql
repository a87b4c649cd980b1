-- The licence register CKAN ships by default (ids are what CKAN clients send),
-- plus CC BY 4.0 which Vietnamese agencies commonly use. Operators may add more.
INSERT INTO licenses (id, title, url, od_conformance, osd_conformance, is_open, is_generic, domain_content, domain_data, domain_software, position) VALUES
('cc-by-4.0', 'Creative Commons Attribution 4.0', 'https://creativecommons.org/licenses/by/4.0/', 'approved', 'not reviewed', 1, 0, 1, 1, 0, 1),
('cc-by', 'Creative Commons Attribution', 'http://www.opendefinition.org/licenses/cc-by', 'approved', 'not reviewed', 1, 0, 1, 0, 0, 2),
('cc-by-sa', 'Creative Commons Attribution Share-Alike', 'http://www.opendefinition.org/licenses/cc-by-sa', 'approved', 'not reviewed', 1, 0, 1, 0, 0, 3),
('cc-zero', 'Creative Commons CCZero', 'http://www.opendefinition.org/licenses/cc-zero', 'approved', 'not reviewed', 1, 0, 1, 1, 0, 4),
('cc-nc', 'Creative Commons Non-Commercial (Any)', 'http://creativecommons.org/licenses/by-nc/2.0/', 'not reviewed', 'not reviewed', 0, 0, 1, 0, 0, 5),
('gfdl', 'GNU Free Documentation License', 'http://www.opendefinition.org/licenses/gfdl', 'approved', 'not reviewed', 1, 0, 1, 0, 0, 6),
('notspecified', 'License not specified', '', 'not reviewed', 'not reviewed', 0, 1, 1, 0, 0, 7),
('odc-by', 'Open Data Commons Attribution License', 'http://www.opendefinition.org/licenses/odc-by', 'approved', 'not reviewed', 1, 0, 0, 1, 0, 8),
('odc-odbl', 'Open Data Commons Open Database License (ODbL)', 'http://www.opendefinition.org/licenses/odc-odbl', 'approved', 'not reviewed', 1, 0, 0, 1, 0, 9),
('odc-pddl', 'Open Data Commons Public Domain Dedication and License (PDDL)', 'http://www.opendefinition.org/licenses/odc-pddl', 'approved', 'not reviewed', 1, 0, 0, 1, 0, 10),
('other-at', 'Other (Attribution)', '', 'approved', 'not reviewed', 1, 1, 1, 0, 0, 11),
('other-closed', 'Other (Not Open)', '', 'not reviewed', 'not reviewed', 0, 1, 1, 0, 0, 12),
('other-nc', 'Other (Non-Commercial)', '', 'not reviewed', 'not reviewed', 0, 1, 1, 0, 0, 13),
('other-open', 'Other (Open)', '', 'approved', 'not reviewed', 1, 1, 1, 0, 0, 14),
('other-pd', 'Other (Public Domain)', '', 'approved', 'not reviewed', 1, 1, 1, 0, 0, 15),
('uk-ogl', 'UK Open Government Licence (OGL)', 'http://reference.data.gov.uk/id/open-government-licence', 'approved', 'not reviewed', 1, 0, 1, 0, 0, 16);
