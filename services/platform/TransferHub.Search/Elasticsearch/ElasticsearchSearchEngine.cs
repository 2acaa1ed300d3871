using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.TokenAttributes;
using Polly;
using Polly.Retry;
using TransferHub.Search.Analysis;
using TransferHub.Search.Concepts;

namespace TransferHub.Search.Elasticsearch;

/// <summary>
/// The search engine on an Elasticsearch 8.x cluster over its REST API (HttpClient and System.Text.Json; no client
/// library), with the behaviour of the embedded Lucene engine:
/// <list type="bullet">
/// <item>one index per collection behind an alias (<c>{prefix}{collection}</c> → <c>{alias}-v0</c>, later
/// <c>{alias}-v{timestamp}</c> after a rebuild), created on first use with the analysis of <see cref="LanguageAnalyzer"/>
/// (<see cref="ElasticsearchMapping"/>);</item>
/// <item>thesaurus concepts computed here with the same <see cref="Thesaurus"/> as the Lucene engine and indexed as
/// <c>concept_{lang}</c>; Burmese in Zawgyi converted and Lao composed before anything is sent (texts and queries);</item>
/// <item>versions as Elasticsearch external versions (a write of an older or equal version is answered 409: stale);
/// a deletion is a tombstone document with its version, so a redelivered older update cannot bring a document back;</item>
/// <item>every write waits until it is searchable (<c>refresh=wait_for</c>), so an acknowledged write is found by the
/// next search without forcing a refresh per write;</item>
/// <item>429 and 5xx are retried with exponential backoff (<see cref="ElasticsearchOptions.MaxRetries"/>), for whole
/// requests and for the items of a bulk request.</item>
/// </list>
/// </summary>
public sealed class ElasticsearchSearchEngine : ISearchEngine
{
    private const string DeletedField = "deleted";
    private const string LanguagePrefix = "lang:";
    private const char SuggestSeparator = '\u0001';
    private const float ConceptBoost = 2f;
    private const int FacetSize = 1000;
    private const int SuggestCandidates = 200;

    private readonly ElasticsearchTransport transport;
    private readonly ElasticsearchOptions options;
    private readonly Thesaurus thesaurus;
    private readonly HttpClient? ownedClient;
    private readonly Dictionary<string, LanguageAnalyzer> analyzers;
    private readonly ResiliencePipeline<List<JsonNode[]>> itemRetry;
    private readonly SemaphoreSlim ready = new(1, 1);
    private readonly SemaphoreSlim rebuilding = new(1, 1);
    private readonly TimeProvider time;
    private volatile bool exists;
    private volatile string? rebuildTarget;

    /// <summary>
    /// An engine for <paramref name="collection"/> on the cluster that <paramref name="http"/>'s base address points to
    /// (credentials, if any, in its default headers; see <see cref="ElasticsearchOptions.CreateHttpClient"/>). The index
    /// is named <c>{options.IndexPrefix}{collection}</c>. The caller keeps ownership of <paramref name="http"/>.
    /// </summary>
    public ElasticsearchSearchEngine(HttpClient http, string collection, Thesaurus thesaurus, ElasticsearchOptions? options = null,
        TimeProvider? timeProvider = null)
        : this(http, ownsClient: false, collection, thesaurus, options, timeProvider)
    {
    }

    /// <summary>An engine with its own <see cref="HttpClient"/> built from <paramref name="options"/> (disposed with the engine).</summary>
    public ElasticsearchSearchEngine(ElasticsearchOptions options, string collection, Thesaurus thesaurus)
        : this(options.CreateHttpClient(), ownsClient: true, collection, thesaurus, options, null)
    {
    }

    private ElasticsearchSearchEngine(HttpClient http, bool ownsClient, string collection, Thesaurus thesaurus, ElasticsearchOptions? options,
        TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(thesaurus);
        ownedClient = ownsClient ? http : null;
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs the cluster's address as its BaseAddress.", nameof(http));
        }
        this.options = options ?? new ElasticsearchOptions(http.BaseAddress);
        this.thesaurus = thesaurus;
        time = timeProvider ?? TimeProvider.System;
        Alias = IndexName(this.options.IndexPrefix + collection);
        transport = new ElasticsearchTransport(http, this.options);
        analyzers = LanguageAnalyzer.Languages.ToDictionary(l => l, l => new LanguageAnalyzer(l), StringComparer.Ordinal);
        itemRetry = this.options.MaxRetries <= 0
            ? ResiliencePipeline<List<JsonNode[]>>.Empty
            : new ResiliencePipelineBuilder<List<JsonNode[]>>()
                .AddRetry(new RetryStrategyOptions<List<JsonNode[]>>
                {
                    MaxRetryAttempts = this.options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = this.options.RetryDelay,
                    MaxDelay = TimeSpan.FromSeconds(30),
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Count: > 0 }),
                })
                .Build();
    }

    /// <summary>The alias searches and writes go through (<c>{prefix}{collection}</c>).</summary>
    public string Alias { get; }

    private static string IndexName(string name)
    {
        if (name.Length == 0 || name.Length > 200 || name != name.ToLowerInvariant() || name[0] is '-' or '_' or '+' || name is "." or ".." ||
            name.Any(c => c is '\\' or '/' or '*' or '?' or '"' or '<' or '>' or '|' or ' ' or ',' or '#' or ':'))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid Elasticsearch index name (lower case, no spaces or \\ / * ? \" < > | , # :, not starting with - _ +).",
                nameof(name));
        }
        return name;
    }

    // ---------------------------------------------------------------- index lifecycle

    /// <summary>Creates the collection's index and alias unless they exist (idempotent; also between processes).</summary>
    public async Task EnsureIndexAsync(CancellationToken ct = default)
    {
        if (exists)
        {
            return;
        }
        await ready.WaitAsync(ct);
        try
        {
            if (exists)
            {
                return;
            }
            var head = await transport.SendAsync(HttpMethod.Head, Alias, null, ct);
            if (head.Status == HttpStatusCode.NotFound)
            {
                // A fixed first generation name: two processes starting together create the same index, not two.
                var body = ElasticsearchMapping.IndexBody(thesaurus, ElasticsearchMapping.Interval(options.RefreshInterval));
                body["aliases"] = new JsonObject { [Alias] = new JsonObject() };
                var created = await transport.SendAsync(HttpMethod.Put, $"{Alias}-v0", body, ct);
                if (!created.IsSuccess && ErrorType(created) != "resource_already_exists_exception")
                {
                    throw ElasticsearchTransport.Error(created, $"PUT {Alias}-v0");
                }
            }
            else
            {
                ElasticsearchTransport.EnsureSuccess(head, $"HEAD {Alias}");
            }
            exists = true;
        }
        finally
        {
            ready.Release();
        }
    }

    private static string? ErrorType(EsResponse response) => response.Body?["error"] is JsonObject e ? (string?)e["type"] : null;

    /// <summary>
    /// A request through the alias; if the alias has gone meanwhile (someone deleted the index: 404
    /// <c>index_not_found_exception</c>), the index is created again and the request sent once more, as the Lucene engine
    /// starts an empty index in a deleted directory.
    /// </summary>
    private async Task<EsResponse> ThroughAliasAsync(Func<CancellationToken, Task<EsResponse>> send, CancellationToken ct)
    {
        var response = await send(ct);
        if (response.Status != HttpStatusCode.NotFound || ErrorType(response) != "index_not_found_exception")
        {
            return response;
        }
        exists = false;
        await EnsureIndexAsync(ct);
        return await send(ct);
    }

    // ---------------------------------------------------------------- writes

    public async Task<WriteOutcome> IndexAsync(SearchDocument document, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        return await WriteAsync(document.Id, document.Version, Source(Normalize(document)), ct);
    }

    public async Task<WriteOutcome> DeleteAsync(string id, long version, CancellationToken ct = default) =>
        await WriteAsync(id, version, Tombstone(id, version), ct);

    private async Task<WriteOutcome> WriteAsync(string id, long version, JsonObject source, CancellationToken ct)
    {
        await EnsureIndexAsync(ct);
        var path = $"{Alias}/_doc/{Uri.EscapeDataString(id)}?version={version}&version_type=external&refresh=wait_for&require_alias=true";
        var response = await ThroughAliasAsync(token => transport.SendAsync(HttpMethod.Put, path, source, token), ct);
        WriteOutcome outcome;
        if (response.Status == HttpStatusCode.Conflict)
        {
            outcome = WriteOutcome.Stale; // version_conflict_engine_exception: this version or a newer one is there
        }
        else
        {
            ElasticsearchTransport.EnsureSuccess(response, "PUT " + path);
            outcome = WriteOutcome.Applied;
        }
        if (rebuildTarget is { } target)
        {
            // A rebuild is under way: the new index gets the write too (its versions order them, whichever comes first).
            var copy = await transport.SendAsync(HttpMethod.Put, $"{target}/_doc/{Uri.EscapeDataString(id)}?version={version}&version_type=external",
                source, ct);
            if (!copy.IsSuccess && copy.Status != HttpStatusCode.Conflict && copy.Status != HttpStatusCode.NotFound)
            {
                throw ElasticsearchTransport.Error(copy, $"PUT {target}/_doc/{id}");
            }
        }
        return outcome;
    }

    public async Task<int> BulkAsync(IEnumerable<SearchDocument> documents, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        await EnsureIndexAsync(ct);
        var applied = 0;
        foreach (var batch in documents.Chunk(Math.Max(1, options.BulkBatchSize)))
        {
            var items = batch.Select(d => BulkItem(d.Id, d.Version, Source(Normalize(d)))).ToList();
            applied += await BulkAsync($"{Alias}/_bulk?refresh=wait_for&require_alias=true", items, ct);
            if (rebuildTarget is { } target)
            {
                await BulkAsync($"{target}/_bulk", items, ct);
            }
        }
        return applied;
    }

    private static JsonNode[] BulkItem(string id, long version, JsonObject source) =>
    [
        new JsonObject { ["index"] = new JsonObject { ["_id"] = id, ["version"] = version, ["version_type"] = "external" } },
        source,
    ];

    /// <summary>
    /// Sends items (action and source lines) to <c>_bulk</c>: 200/201 applied, 409 stale (an equal or newer version is
    /// there), 429 and 5xx items sent again with backoff; any other item error is thrown. Returns the number applied.
    /// </summary>
    private async Task<int> BulkAsync(string path, List<JsonNode[]> items, CancellationToken ct)
    {
        var applied = 0;
        var left = await itemRetry.ExecuteAsync(async token =>
        {
            var pending = items;
            var response = ElasticsearchTransport.EnsureSuccess(path.StartsWith(Alias + "/", StringComparison.Ordinal)
                ? await ThroughAliasAsync(t => transport.SendNdjsonAsync(path, pending.SelectMany(i => i), t), token)
                : await transport.SendNdjsonAsync(path, pending.SelectMany(i => i), token), "POST " + path);
            var results = response.Body?["items"] as JsonArray ?? [];
            var again = new List<JsonNode[]>();
            for (var i = 0; i < pending.Count; i++)
            {
                var result = results.Count > i ? results[i]?["index"] : null;
                var status = (HttpStatusCode)((int?)result?["status"] ?? 500);
                if ((int)status is >= 200 and < 300)
                {
                    applied++;
                }
                else if (status == HttpStatusCode.Conflict)
                {
                    // stale: an equal or newer version is there
                }
                else if (ElasticsearchTransport.IsRetriable(status))
                {
                    again.Add(pending[i]);
                }
                else
                {
                    var error = result?["error"];
                    throw new ElasticsearchException(status, (string?)error?["type"],
                        $"document '{(string?)result?["_id"]}': {(string?)error?["reason"]}", "POST " + path);
                }
            }
            items = again;
            return again;
        }, ct);
        if (left.Count > 0)
        {
            throw new ElasticsearchException(HttpStatusCode.TooManyRequests, "es_rejected_execution_exception",
                $"{left.Count} documents still rejected after {options.MaxRetries} retries", "POST " + path);
        }
        return applied;
    }

    // ---------------------------------------------------------------- documents

    /// <summary>Zawgyi and Lao spellings normalised before anything reads them (<see cref="TextNormalization"/>).</summary>
    private static SearchDocument Normalize(SearchDocument document) => TextNormalization.Document(document);

    /// <summary>The indexed JSON of a document (<c>_source</c>).</summary>
    private JsonObject Source(SearchDocument document)
    {
        var texts = document.Texts.Where(t => analyzers.ContainsKey(t.Language)).ToList();
        var source = new JsonObject
        {
            ["id"] = document.Id,
            ["version"] = document.Version,
            [DeletedField] = false,
            ["languages"] = Array(texts.Select(t => t.Language).Distinct(StringComparer.Ordinal)),
        };
        foreach (var group in texts.GroupBy(t => t.Language, StringComparer.Ordinal))
        {
            var language = group.Key;
            source[ElasticsearchMapping.TextField("title", language)] = OneOrMany(group.Select(t => t.Title));
            source[ElasticsearchMapping.TextField("summary", language)] = OneOrMany(group.Select(t => t.Summary));
            var keywords = group.SelectMany(t => t.Keywords).Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
            if (keywords.Count > 0)
            {
                source[ElasticsearchMapping.TextField("keywords", language)] = Array(keywords);
            }
            var phrases = group.SelectMany(t => t.Keywords.Prepend(t.Title)).Select(p => p.Trim()).Where(p => p.Length > 0)
                .Distinct(StringComparer.Ordinal).Select(p => SuggestKey(p) + SuggestSeparator + p).ToList();
            if (phrases.Count > 0)
            {
                source[ElasticsearchMapping.CompletionField(language)] = Array(phrases);
            }
        }
        foreach (var (language, concepts) in thesaurus.ConceptsOf(document with { Texts = texts }))
        {
            if (concepts.Mentioned.Count > 0)
            {
                source[ElasticsearchMapping.ConceptField(language)] = Array(concepts.Mentioned);
            }
            if (concepts.About.Count > 0)
            {
                source[ElasticsearchMapping.MainConceptField(language)] = Array(concepts.About);
            }
        }
        source["facets"] = new JsonObject(document.Facets.Select(f =>
            KeyValuePair.Create(f.Key, (JsonNode?)Array(f.Value.Distinct(StringComparer.Ordinal)))));
        source["numbers"] = new JsonObject((document.Numbers ?? new Dictionary<string, double>())
            .Where(n => double.IsFinite(n.Value)).Select(n => KeyValuePair.Create(n.Key, (JsonNode?)JsonValue.Create(n.Value))));
        source["stored"] = new JsonObject((document.Stored ?? new Dictionary<string, string>())
            .Select(s => KeyValuePair.Create(s.Key, (JsonNode?)JsonValue.Create(s.Value))));
        return source;
    }

    private static JsonObject Tombstone(string id, long version) => new() { ["id"] = id, ["version"] = version, [DeletedField] = true };

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static JsonNode OneOrMany(IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Count == 1 ? JsonValue.Create(list[0]) : Array(list);
    }

    /// <summary>What autocomplete matches on: lower case, Latin diacritics removed, spaces collapsed ("Công nghệ" → "cong nghe").</summary>
    public static string SuggestKey(string text)
    {
        var lower = text.ToLowerInvariant().ToCharArray();
        var folded = new char[Math.Max(1, lower.Length * 4)];
        var length = ASCIIFoldingFilter.FoldToASCII(lower, 0, folded, 0, lower.Length);
        return string.Join(' ', new string(folded, 0, length).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    // ---------------------------------------------------------------- search

    public async Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureIndexAsync(ct);
        var text = query.Text is { } t && !string.IsNullOrWhiteSpace(t) ? TextNormalization.Text(t) : null;
        var concepts = text is null ? [] : thesaurus.FindInQuery(text).Select(m => m.ConceptId).ToList();
        var result = await SearchAsync(query, text, concepts, relaxed: false, ct);
        string? correction = null;
        if (text is not null && result.Total < DidYouMean.FewHits && await CorrectAsync(text, ct) is { } corrected &&
            corrected != text &&
            (await SearchAsync(query with { Page = 1, PageSize = 1, Facets = [], Highlight = false, Explain = false, Sort = null }, corrected,
                thesaurus.FindInQuery(corrected).Select(m => m.ConceptId).ToList(), relaxed: false, ct)).Total > result.Total)
        {
            correction = corrected;
        }
        if (text is not null && result.Total < SearchRelaxation.Below && CanRelax(text) &&
            await SearchAsync(query, text, concepts, relaxed: true, ct) is { } relaxed && relaxed.Total > result.Total)
        {
            result = relaxed with { Relaxed = true };
        }
        return result with { DidYouMean = correction };
    }

    /// <summary>A relaxed search adds something only for a query of two or more words in some language.</summary>
    private bool CanRelax(string text) => analyzers.Values.Any(a => a.Terms(text).Distinct(StringComparer.Ordinal).Skip(1).Any());

    private async Task<SearchResult> SearchAsync(SearchQuery query, string? text, IReadOnlyList<string> concepts, bool relaxed, CancellationToken ct)
    {
        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, 100);
        var from = (long)(page - 1) * size;
        var languages = LanguageClauses(text, concepts, relaxed);
        var facets = (query.Facets ?? []).Distinct(StringComparer.Ordinal).ToList();
        var beyond = from + size > ElasticsearchMapping.MaxResultWindow; // counts and facets still answered, no hits
        var body = new JsonObject
        {
            ["from"] = beyond ? 0 : from,
            ["size"] = beyond ? 0 : size,
            ["track_total_hits"] = true,
            ["query"] = Query(languages.Select(l => l.Clause), query.Filters),
            ["sort"] = Sort(query.Sort),
            ["_source"] = new JsonObject { ["includes"] = new JsonArray("stored", "languages", "concept_*") },
        };
        if (query.Sort is not null)
        {
            body["track_scores"] = true;
        }
        if (facets.Count > 0)
        {
            body["aggs"] = new JsonObject(facets.Select((f, i) => KeyValuePair.Create($"facet_{i}", (JsonNode?)new JsonObject
            {
                ["terms"] = new JsonObject
                {
                    ["field"] = ElasticsearchMapping.FacetField(f),
                    ["size"] = FacetSize,
                    ["order"] = new JsonArray(new JsonObject { ["_count"] = "desc" }, new JsonObject { ["_key"] = "asc" }),
                },
            })));
        }
        if (query.Highlight)
        {
            body["highlight"] = Highlight(text, concepts);
        }
        if (query.Explain)
        {
            body["explain"] = true;
        }
        var response = ElasticsearchTransport.EnsureSuccess(await ThroughAliasAsync(token => transport.SendAsync(HttpMethod.Post, $"{Alias}/_search", body, token), ct),
            $"POST {Alias}/_search");
        var json = response.Body!;
        var total = (int?)json["hits"]?["total"]?["value"] ?? 0;
        var hits = (json["hits"]?["hits"] as JsonArray ?? []).Select(h => Hit(h!, query, concepts)).ToList();
        var counts = facets.Select((f, i) => (Facet: f, Buckets: json["aggregations"]?[$"facet_{i}"]?["buckets"] as JsonArray ?? []))
            .ToDictionary(x => x.Facet, x => (IReadOnlyList<FacetCount>)x.Buckets
                .Select(b => new FacetCount(KeyString(b!["key"]), (int?)b["doc_count"] ?? 0))
                .OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        return new SearchResult(total, hits, counts);
    }

    private static string KeyString(JsonNode? key) => key is JsonValue v && v.TryGetValue<string>(out var s) ? s : key?.ToJsonString() ?? "";

    /// <summary>
    /// Per language, as the Lucene engine: the query's words analysed by that language's fields (title ×3, keywords ×2,
    /// summary), matching when 70 % of them are found across the three (<c>-30%</c>: what may be missing, rounded down, is
    /// Lucene's "70 % rounded up"), or the text in that language being about 70 % of the query's concepts (boost 2).
    /// Each language's clause is named, so a hit tells which languages matched. Languages whose analysis of the text gives
    /// no term are left out (the Lucene engine's rule); when none is left, every document matches. Relaxed
    /// (<see cref="SearchRelaxation"/>): also <see cref="SearchRelaxation.Required"/> of the words, at a lower boost
    /// (without the Lucene engine's omission of very common words: BM25 weighs them down).
    /// </summary>
    private List<(string Language, JsonObject Clause)> LanguageClauses(string? text, IReadOnlyList<string> concepts, bool relaxed = false)
    {
        var clauses = new List<(string, JsonObject)>();
        if (text is null)
        {
            return clauses;
        }
        foreach (var (language, analyzer) in analyzers)
        {
            var should = new JsonArray();
            var terms = analyzer.Terms(text).Distinct(StringComparer.Ordinal).Count();
            if (terms > 0)
            {
                should.Add(Words(text, language, "-30%", 1f));
            }
            if (relaxed && terms >= 2)
            {
                should.Add(Words(text, language, SearchRelaxation.Required(terms), SearchRelaxation.Boost));
            }
            if (concepts.Count > 0)
            {
                should.Add(new JsonObject
                {
                    ["bool"] = new JsonObject
                    {
                        ["should"] = new JsonArray([.. concepts.Select(id => (JsonNode)new JsonObject
                        {
                            ["term"] = new JsonObject { [ElasticsearchMapping.ConceptField(language)] = id },
                        })]),
                        ["minimum_should_match"] = 1,
                        ["boost"] = ConceptBoost,
                    },
                });
                // what the listing is about (its titles' and keywords' concepts) counts again, as in the Lucene engine
                should.Add(new JsonObject
                {
                    ["bool"] = new JsonObject
                    {
                        ["should"] = new JsonArray([.. concepts.Select(id => (JsonNode)new JsonObject
                        {
                            ["term"] = new JsonObject { [ElasticsearchMapping.MainConceptField(language)] = id },
                        })]),
                        ["boost"] = ConceptBoost,
                    },
                });
            }
            if (should.Count > 0)
            {
                clauses.Add((language, new JsonObject
                {
                    ["bool"] = new JsonObject { ["should"] = should, ["minimum_should_match"] = 1, ["_name"] = LanguagePrefix + language },
                }));
            }
        }
        return clauses;
    }

    private static JsonObject Words(string text, string language, JsonNode minimum, float boost)
    {
        var match = new JsonObject
        {
            ["query"] = text,
            ["type"] = "cross_fields",
            ["fields"] = new JsonArray([.. ElasticsearchMapping.Parts.Select(p => (JsonNode)FieldWithBoost(p, language))]),
            ["operator"] = "or",
            ["minimum_should_match"] = minimum,
        };
        if (boost != 1f)
        {
            match["boost"] = boost;
        }
        return new JsonObject { ["multi_match"] = match };
    }

    private static string FieldWithBoost(string part, string language)
    {
        var boost = ElasticsearchMapping.Boost(part);
        var field = ElasticsearchMapping.TextField(part, language);
        return boost == 1f ? field : $"{field}^{boost.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Any language matching (or everything), every filter (a facet → any of its values), never a tombstone.</summary>
    private static JsonObject Query(IEnumerable<JsonObject> languages, IReadOnlyDictionary<string, IReadOnlyList<string>>? filters)
    {
        var any = languages.ToList();
        return new JsonObject
        {
            ["bool"] = new JsonObject
            {
                ["must"] = new JsonArray(any.Count == 0
                    ? new JsonObject { ["match_all"] = new JsonObject() }
                    : new JsonObject { ["bool"] = new JsonObject { ["should"] = new JsonArray([.. any]), ["minimum_should_match"] = 1 } }),
                ["filter"] = new JsonArray([.. (filters ?? new Dictionary<string, IReadOnlyList<string>>()).Select(f => (JsonNode)new JsonObject
                {
                    ["terms"] = new JsonObject { [ElasticsearchMapping.FacetField(f.Key)] = Array(f.Value) },
                })]),
                ["must_not"] = new JsonArray(new JsonObject { ["term"] = new JsonObject { [DeletedField] = true } }),
            },
        };
    }

    /// <summary>Relevance or the requested number (documents without it last, either way), then id: pages are stable.</summary>
    private static JsonArray Sort(SortBy? sort) => new(
        sort is null
            ? new JsonObject { ["_score"] = new JsonObject { ["order"] = "desc" } }
            : new JsonObject
            {
                [ElasticsearchMapping.NumberField(sort.Field)] = new JsonObject
                {
                    ["order"] = sort.Descending ? "desc" : "asc",
                    ["missing"] = "_last",
                    ["unmapped_type"] = "double",
                },
            },
        new JsonObject { ["id"] = new JsonObject { ["order"] = "asc" } });

    /// <summary>
    /// Titles whole and one summary fragment, in every language (the hit picks the language that matched), the query's
    /// words and the labels of its concepts in &lt;mark&gt;, the rest HTML-escaped by Elasticsearch; a part without a
    /// match comes back as its beginning (<c>no_match_size</c>).
    /// </summary>
    private JsonObject Highlight(string? text, IReadOnlyList<string> concepts)
    {
        var should = new JsonArray();
        foreach (var language in LanguageAnalyzer.Languages)
        {
            var words = (text is null ? [] : new[] { text })
                .Concat(concepts.SelectMany(id => thesaurus.Find(id)?.Labels.GetValueOrDefault(language) ?? []))
                .Distinct(StringComparer.Ordinal);
            foreach (var phrase in words)
            {
                foreach (var part in new[] { "title", "summary" })
                {
                    should.Add(new JsonObject
                    {
                        ["match"] = new JsonObject { [ElasticsearchMapping.TextField(part, language)] = new JsonObject { ["query"] = phrase } },
                    });
                }
            }
        }
        var body = new JsonObject
        {
            ["pre_tags"] = new JsonArray("<mark>"),
            ["post_tags"] = new JsonArray("</mark>"),
            ["encoder"] = "html",
            ["require_field_match"] = true,
            ["fields"] = new JsonObject
            {
                ["title_*"] = new JsonObject { ["number_of_fragments"] = 0, ["no_match_size"] = 1000 },
                ["summary_*"] = new JsonObject { ["fragment_size"] = 160, ["number_of_fragments"] = 1, ["no_match_size"] = 160 },
            },
        };
        if (should.Count > 0)
        {
            body["highlight_query"] = new JsonObject { ["bool"] = new JsonObject { ["should"] = should } };
        }
        return body;
    }

    private SearchHit Hit(JsonNode hit, SearchQuery query, IReadOnlyList<string> concepts)
    {
        var source = hit["_source"] as JsonObject ?? [];
        var named = (hit["matched_queries"] as JsonArray ?? []).Select(n => (string?)n).OfType<string>()
            .Where(n => n.StartsWith(LanguagePrefix, StringComparison.Ordinal)).Select(n => n[LanguagePrefix.Length..]).ToHashSet(StringComparer.Ordinal);
        var matched = LanguageAnalyzer.Languages.Where(named.Contains).ToList();
        var documentConcepts = source.Where(p => p.Key.StartsWith("concept_", StringComparison.Ordinal) && !p.Key.StartsWith("concept_main_", StringComparison.Ordinal))
            .SelectMany(p => p.Value as JsonArray ?? []).Select(v => (string?)v).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var stored = (source["stored"] as JsonObject ?? [])
            .ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value?.ToJsonString() ?? "",
                StringComparer.Ordinal);
        var score = hit["_score"] is JsonValue sv && sv.TryGetValue<double>(out var d) ? (float)d : 0f;
        return new SearchHit((string)hit["_id"]!, score, matched, stored)
        {
            MatchedConcepts = concepts.Where(documentConcepts.Contains).ToList(),
            Highlights = query.Highlight ? Highlights(hit["highlight"] as JsonObject, matched, source["languages"] as JsonArray) : null,
            Explanation = query.Explain && hit["_explanation"] is JsonObject e ? Explanation(e) : null,
        };
    }

    /// <summary>The title and summary snippets of the first matched language the document is written in (else its first language).</summary>
    private static Dictionary<string, string> Highlights(JsonObject? highlight, IReadOnlyList<string> matched, JsonArray? languages)
    {
        var written = (languages ?? []).Select(l => (string?)l).OfType<string>().ToList();
        var language = matched.FirstOrDefault(written.Contains) ?? written.FirstOrDefault();
        var snippets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (language is null || highlight is null)
        {
            return snippets;
        }
        foreach (var part in new[] { "title", "summary" })
        {
            if (highlight[ElasticsearchMapping.TextField(part, language)] is JsonArray fragments && fragments.Count > 0)
            {
                snippets[part] = string.Join(" … ", fragments.Select(f => (string?)f).OfType<string>());
            }
        }
        return snippets;
    }

    /// <summary>Elasticsearch's <c>_explanation</c> tree written the way Lucene prints one (value = description, details indented).</summary>
    public static string Explanation(JsonObject explanation)
    {
        var text = new StringBuilder();
        Write(explanation, 0);
        return text.ToString();

        void Write(JsonNode node, int depth)
        {
            var value = node["value"] is JsonValue v && v.TryGetValue<double>(out var d) ? (float)d : 0f;
            text.Append(' ', depth * 2).Append(value.ToString("R", CultureInfo.InvariantCulture)).Append(" = ")
                .Append((string?)node["description"]).Append('\n');
            foreach (var detail in node["details"] as JsonArray ?? [])
            {
                Write(detail!, depth + 1);
            }
        }
    }

    // ---------------------------------------------------------------- did you mean

    /// <summary>
    /// "Did you mean", as the Lucene engine: each word of the query (read as the language its script suggests; spaced
    /// languages only) of at least 4 letters, without digits, that no document's title, keywords or summary in that
    /// language contains, replaced by the indexed word within two edits that most documents contain. One request: a
    /// <c>filter</c> aggregation per word tells whether it is indexed, a term suggester per field proposes words.
    /// </summary>
    private async Task<string?> CorrectAsync(string text, CancellationToken ct)
    {
        var language = Scripts.DetectLanguage(text);
        if (language is "zh" or "th" or "lo" or "km" or "my" || !analyzers.TryGetValue(language, out var analyzer))
        {
            return null;
        }
        var tokens = analyzer.Tokens(text);
        var words = tokens.Where(w => w.Term.Length >= 4 && !w.Term.Any(char.IsDigit)).ToList();
        if (words.Count == 0 || tokens.Count > DidYouMean.MaxWords)
        {
            return null;
        }
        var fields = ElasticsearchMapping.Parts.Select(p => ElasticsearchMapping.TextField(p, language)).ToList();
        var suggest = new JsonObject { ["text"] = text };
        foreach (var field in fields)
        {
            suggest[field] = new JsonObject
            {
                ["term"] = new JsonObject
                {
                    ["field"] = field,
                    ["analyzer"] = "text_" + language, // the words as indexed, without the search-time synonyms
                    ["suggest_mode"] = "missing",
                    ["sort"] = "frequency",
                    ["size"] = 1,
                    ["max_edits"] = 2,
                    ["prefix_length"] = 1,
                    ["min_word_length"] = 4,
                },
            };
        }
        var body = new JsonObject
        {
            ["size"] = 0,
            ["track_total_hits"] = false,
            ["aggs"] = new JsonObject(words.Select((w, i) => KeyValuePair.Create($"word_{i}", (JsonNode?)new JsonObject
            {
                ["filter"] = new JsonObject
                {
                    ["bool"] = new JsonObject
                    {
                        ["should"] = new JsonArray([.. fields.Select(f => (JsonNode)new JsonObject { ["term"] = new JsonObject { [f] = w.Term } })]),
                    },
                },
            }))),
            ["suggest"] = suggest,
        };
        var json = ElasticsearchTransport.EnsureSuccess(await ThroughAliasAsync(token => transport.SendAsync(HttpMethod.Post, $"{Alias}/_search", body, token), ct),
            $"POST {Alias}/_search (did you mean)").Body!;
        var replacements = new List<(int Start, int End, string Word)>();
        for (var i = 0; i < words.Count; i++)
        {
            var (_, start, end) = words[i];
            if (((int?)json["aggregations"]?[$"word_{i}"]?["doc_count"] ?? 0) > 0)
            {
                continue;
            }
            var best = fields
                .SelectMany(f => json["suggest"]?[f] as JsonArray ?? [])
                .Where(e => (int?)e?["offset"] == start && (int?)e?["length"] == end - start)
                .SelectMany(e => e?["options"] as JsonArray ?? [])
                .Select(o => (Text: (string?)o?["text"], Frequency: (int?)o?["freq"] ?? 0))
                .Where(o => !string.IsNullOrEmpty(o.Text))
                .OrderByDescending(o => o.Frequency)
                .FirstOrDefault();
            if (best.Text is not null)
            {
                replacements.Add((start, end, best.Text));
            }
        }
        if (replacements.Count == 0)
        {
            return null;
        }
        return TextEdits.Replace(text, replacements);
    }

    // ---------------------------------------------------------------- autocomplete

    /// <summary>
    /// Autocomplete, as the Lucene engine: titles and keywords (whole) whose folded form (<see cref="SuggestKey"/>: lower
    /// case, Latin diacritics removed, spaces collapsed) starts with the folded prefix, in any language, with the number of
    /// live documents containing each; most documents first, then shorter, then alphabetical. Indexed as
    /// <c>complete_{lang}</c> keywords <c>{key}\u0001{text}</c>; asked with a <c>prefix</c> query and a <c>terms</c>
    /// aggregation per language whose <c>include</c> pattern is the escaped key (a prefix query, not the completion
    /// suggester: the completion suggester cannot count documents and would still return deleted ones until a merge).
    /// </summary>
    public async Task<IReadOnlyList<Suggestion>> SuggestAsync(string prefix, int count = 10, CancellationToken ct = default)
    {
        var key = SuggestKey(TextNormalization.Text(prefix ?? ""));
        if (key.Length == 0 || key.Length > 200)
        {
            return [];
        }
        await EnsureIndexAsync(ct);
        var include = RegexLiteral(key) + ".*";
        var body = new JsonObject
        {
            ["size"] = 0,
            ["track_total_hits"] = false,
            ["query"] = new JsonObject
            {
                ["bool"] = new JsonObject
                {
                    ["should"] = new JsonArray([.. LanguageAnalyzer.Languages.Select(l => (JsonNode)new JsonObject
                    {
                        ["prefix"] = new JsonObject { [ElasticsearchMapping.CompletionField(l)] = new JsonObject { ["value"] = key } },
                    })]),
                    ["minimum_should_match"] = 1,
                    ["must_not"] = new JsonArray(new JsonObject { ["term"] = new JsonObject { [DeletedField] = true } }),
                },
            },
            ["aggs"] = new JsonObject(LanguageAnalyzer.Languages.Select(l => KeyValuePair.Create(l, (JsonNode?)new JsonObject
            {
                ["terms"] = new JsonObject
                {
                    ["field"] = ElasticsearchMapping.CompletionField(l),
                    ["include"] = include,
                    ["size"] = SuggestCandidates,
                    ["order"] = new JsonArray(new JsonObject { ["_count"] = "desc" }, new JsonObject { ["_key"] = "asc" }),
                },
            }))),
        };
        var json = ElasticsearchTransport.EnsureSuccess(await ThroughAliasAsync(token => transport.SendAsync(HttpMethod.Post, $"{Alias}/_search", body, token), ct),
            $"POST {Alias}/_search (suggest)").Body!;
        var found = new List<Suggestion>();
        foreach (var language in LanguageAnalyzer.Languages)
        {
            foreach (var bucket in json["aggregations"]?[language]?["buckets"] as JsonArray ?? [])
            {
                var term = KeyString(bucket?["key"]);
                var separator = term.IndexOf(SuggestSeparator, StringComparison.Ordinal);
                if (separator >= 0 && (int?)bucket?["doc_count"] is > 0 and var documents)
                {
                    found.Add(new Suggestion(term[(separator + 1)..], language, documents));
                }
            }
        }
        return found
            .GroupBy(s => (s.Text, s.Language)).Select(g => g.First() with { Documents = g.Sum(s => s.Documents) })
            .OrderByDescending(s => s.Documents).ThenBy(s => s.Text.Length).ThenBy(s => s.Text, StringComparer.Ordinal)
            .Take(Math.Clamp(count, 1, 50)).ToList();
    }

    /// <summary>
    /// <paramref name="text"/> as a literal in Lucene's regular expression syntax (the <c>include</c> of a terms
    /// aggregation): letters and digits as they are, every other character escaped with a backslash.
    /// </summary>
    public static string RegexLiteral(string text)
    {
        var escaped = new StringBuilder(text.Length * 2);
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsLetterOrDigit(rune))
            {
                escaped.Append('\\');
            }
            escaped.Append(rune.ToString());
        }
        return escaped.ToString();
    }

    // ---------------------------------------------------------------- rebuild

    /// <summary>
    /// Builds the collection anew in a new physical index (<c>{alias}-v{UTC timestamp}</c>) while searches and writes go
    /// on against the current one: the documents are sent in bulk (refreshes off, their versions taken as given; progress
    /// after every batch), documents of the old index that were not given become tombstones with their version (as in the
    /// Lucene engine: a redelivered older update cannot bring them back), then the alias is moved to the new index in one
    /// atomic <c>_aliases</c> request and the old index is deleted. Writes made through this engine during the rebuild go
    /// to both indexes (external versions order them). If the rebuild fails, the new index is deleted and the old one
    /// stays in service.
    /// </summary>
    public async Task<int> RebuildAsync(IAsyncEnumerable<SearchDocument> documents, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        await EnsureIndexAsync(ct);
        await rebuilding.WaitAsync(ct);
        var target = $"{Alias}-v{time.GetUtcNow():yyyyMMddHHmmssfff}";
        var swapped = false;
        try
        {
            var body = ElasticsearchMapping.IndexBody(thesaurus, "-1");
            ElasticsearchTransport.EnsureSuccess(await transport.SendAsync(HttpMethod.Put, target, body, ct), "PUT " + target);
            rebuildTarget = target;

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var batch = new List<JsonNode[]>(options.BulkBatchSize);
            await foreach (var document in documents.WithCancellation(ct))
            {
                seen.Add(document.Id);
                batch.Add(BulkItem(document.Id, document.Version, Source(Normalize(document))));
                if (batch.Count >= Math.Max(1, options.BulkBatchSize))
                {
                    await BulkAsync($"{target}/_bulk", batch, ct);
                    batch = new List<JsonNode[]>(options.BulkBatchSize);
                    progress?.Report(seen.Count);
                }
            }
            if (batch.Count > 0)
            {
                await BulkAsync($"{target}/_bulk", batch, ct);
            }

            var old = await PhysicalIndexesAsync(ct);
            foreach (var index in old.Where(i => i != target))
            {
                await CopyTombstonesAsync(index, target, seen, ct);
            }
            var settings = new JsonObject { ["index"] = new JsonObject { ["refresh_interval"] = ElasticsearchMapping.Interval(options.RefreshInterval) } };
            ElasticsearchTransport.EnsureSuccess(await transport.SendAsync(HttpMethod.Put, $"{target}/_settings", settings, ct), $"PUT {target}/_settings");
            ElasticsearchTransport.EnsureSuccess(await transport.SendAsync(HttpMethod.Post, $"{target}/_refresh", null, ct), $"POST {target}/_refresh");

            var actions = new JsonArray(new JsonObject { ["add"] = new JsonObject { ["index"] = target, ["alias"] = Alias } });
            foreach (var index in old.Where(i => i != target))
            {
                actions.Add(new JsonObject { ["remove"] = new JsonObject { ["index"] = index, ["alias"] = Alias } });
            }
            ElasticsearchTransport.EnsureSuccess(await transport.SendAsync(HttpMethod.Post, "_aliases", new JsonObject { ["actions"] = actions }, ct),
                "POST _aliases");
            swapped = true;
            rebuildTarget = null;
            foreach (var index in old.Where(i => i != target))
            {
                var deleted = await transport.SendAsync(HttpMethod.Delete, index, null, ct);
                if (!deleted.IsSuccess && deleted.Status != HttpStatusCode.NotFound)
                {
                    throw ElasticsearchTransport.Error(deleted, "DELETE " + index);
                }
            }
            progress?.Report(seen.Count);
            return seen.Count;
        }
        catch when (!swapped)
        {
            rebuildTarget = null;
            try
            {
                await transport.SendAsync(HttpMethod.Delete, target, null, CancellationToken.None);
            }
            catch (Exception cleanup) when (cleanup is HttpRequestException or TaskCanceledException or ElasticsearchException)
            {
                // The rebuild's own error is the one to report; an orphan index is visible in _cat/indices.
            }
            throw;
        }
        finally
        {
            rebuildTarget = null;
            rebuilding.Release();
        }
    }

    /// <summary>
    /// Whether an index behind the alias was created with another thesaurus (its <c>_meta</c>): its synonyms (analysis
    /// settings) and its documents' concepts are then the old ones until a rebuild, even when it is empty. No index: false.
    /// </summary>
    public async Task<bool> ThesaurusOutdatedAsync(CancellationToken ct = default)
    {
        var response = await transport.SendAsync(HttpMethod.Get, $"{Alias}/_mapping", null, ct);
        if (response.Status == HttpStatusCode.NotFound)
        {
            return false;
        }
        var json = ElasticsearchTransport.EnsureSuccess(response, $"GET {Alias}/_mapping").Body as JsonObject ?? [];
        return json.Any(index => (string?)index.Value?["mappings"]?["_meta"]?[ElasticsearchMapping.ThesaurusMeta] != thesaurus.Fingerprint);
    }

    /// <summary>The indexes behind the alias (normally one).</summary>
    private async Task<List<string>> PhysicalIndexesAsync(CancellationToken ct)
    {
        var response = await transport.SendAsync(HttpMethod.Get, $"_alias/{Alias}", null, ct);
        if (response.Status == HttpStatusCode.NotFound)
        {
            return [];
        }
        var json = ElasticsearchTransport.EnsureSuccess(response, $"GET _alias/{Alias}").Body as JsonObject ?? [];
        return json.Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every document of <paramref name="from"/> that the rebuild was not given, as a tombstone with its version.</summary>
    private async Task CopyTombstonesAsync(string from, string to, HashSet<string> seen, CancellationToken ct)
    {
        JsonNode? after = null;
        while (true)
        {
            var body = new JsonObject
            {
                ["size"] = Math.Clamp(options.BulkBatchSize, 500, 10_000),
                ["_source"] = false,
                ["version"] = true,
                ["track_total_hits"] = false,
                ["sort"] = new JsonArray(new JsonObject { ["id"] = new JsonObject { ["order"] = "asc" } }),
                ["query"] = new JsonObject { ["match_all"] = new JsonObject() },
            };
            if (after is not null)
            {
                body["search_after"] = after.DeepClone();
            }
            var json = ElasticsearchTransport.EnsureSuccess(await transport.SendAsync(HttpMethod.Post, $"{from}/_search", body, ct),
                $"POST {from}/_search (tombstones)").Body!;
            var hits = json["hits"]?["hits"] as JsonArray ?? [];
            if (hits.Count == 0)
            {
                return;
            }
            var tombstones = hits
                .Where(h => !seen.Contains((string)h!["_id"]!))
                .Select(h => BulkItem((string)h!["_id"]!, (long?)h["_version"] ?? 0, Tombstone((string)h["_id"]!, (long?)h["_version"] ?? 0)))
                .ToList();
            if (tombstones.Count > 0)
            {
                await BulkAsync($"{to}/_bulk", tombstones, ct);
            }
            after = hits[^1]!["sort"];
            if (after is null || hits.Count < (int)body["size"]!)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        foreach (var analyzer in analyzers.Values)
        {
            analyzer.Dispose();
        }
        ready.Dispose();
        rebuilding.Dispose();
        ownedClient?.Dispose();
    }
}
