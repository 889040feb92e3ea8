-- Document search (the console's Documents screen): what a search needs is stored with the package at
-- accept time, so that a search over millions of documents reads indexes, never the packages' bytes.
--   subject_folded  the subject folded by Lgsp.Exchange.Documents.SearchText.Fold (no accents, lower case,
--                   đ -> d, white space made single), matched as a substring through a trigram index
--   code_folded     number/notation folded the same way (SearchText.FoldCode), e.g. '12/ubnd-vp'
-- Statuses leave both null. pg_trgm is a trusted extension (PostgreSQL 13 and later): the database's
-- owner may create it without being a superuser.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE lgsp.package ADD COLUMN subject_folded text NULL;
ALTER TABLE lgsp.package ADD COLUMN code_folded text NULL;

-- The backfill's copy of SearchText.Fold, for the rows stored before this migration (their subject,
-- number and notation are columns already, so no package needs parsing). New rows are folded by the
-- accept path in C#; a test (DocumentSearchMigrationTests) holds this copy equal to it on Vietnamese text.
CREATE FUNCTION lgsp.search_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT NULLIF(btrim(regexp_replace(regexp_replace(lower(translate(normalize(value, NFC),
        'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳḀḁḂḃḄḅḆḇḈḉḊḋḌḍḎḏḐḑḒḓḔḕḖḗḘḙḚḛḜḝḞḟḠḡḢḣḤḥḦḧḨḩḪḫḬḭḮḯḰḱḲḳḴḵḶḷḸḹḺḻḼḽḾḿṀṁṂṃṄṅṆṇṈṉṊṋṌṍṎṏṐṑṒṓṔṕṖṗṘṙṚṛṜṝṞṟṠṡṢṣṤṥṦṧṨṩṪṫṬṭṮṯṰṱṲṳṴṵṶṷṸṹṺṻṼṽṾṿẀẁẂẃẄẅẆẇẈẉẊẋẌẍẎẏẐẑẒẓẔẕẖẗẘẙẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹđĐ',
        'aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyyaabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwyaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyydd')), '[\u0300-\u036f]', '', 'g'), '\s+', ' ', 'g')), '')
$$;

UPDATE lgsp.package
SET subject_folded = lgsp.search_fold(subject),
    code_folded = lgsp.search_fold(CASE
        WHEN coalesce(btrim(code_notation), '') = '' THEN code_number
        WHEN coalesce(btrim(code_number), '') = '' THEN code_notation
        ELSE code_number || '/' || code_notation END)
WHERE kind = 'document';

CREATE INDEX package_subject_trgm ON lgsp.package USING gin (subject_folded gin_trgm_ops) WHERE kind = 'document';
CREATE INDEX package_code_trgm ON lgsp.package USING gin (code_folded gin_trgm_ops) WHERE kind = 'document';
-- Newest first, for everyone and for one sender; the keyset is (received_at, id).
CREATE INDEX package_documents_newest ON lgsp.package (received_at DESC, id DESC) WHERE kind = 'document';
CREATE INDEX package_documents_by_sender ON lgsp.package (from_agency, received_at DESC, id DESC) WHERE kind = 'document';
-- The documents an agency received (an agency clerk's search, the recipient filter).
CREATE INDEX delivery_by_recipient ON lgsp.delivery (recipient, package_id);
