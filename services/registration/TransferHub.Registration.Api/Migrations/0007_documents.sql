-- Contract texts are uploaded files from now on (kind, language, name, type, size, SHA-256 in the file store). Lists
-- declared before, without files, are dropped: those submissions upload their texts again.
UPDATE submissions SET documents = '[]'
WHERE jsonb_path_exists(documents, '$[*] ? (!exists(@.sha256))');
