/// Canned Prometheus answers, shaped as Prometheus 2.x writes them (see the HTTP API docs'
/// examples); values include the `NaN`/`±Inf` strings the client must decode.
enum Fixtures {
    static let vector = #"""
    {"status":"success","data":{"resultType":"vector","result":[
      {"metric":{"__name__":"up","job":"dcgm","tenant":"acme"},"value":[1712345678.5,"1"]},
      {"metric":{"__name__":"up","job":"vllm","tenant":"acme"},"value":[1712345678.5,"NaN"]},
      {"metric":{"job":"h"},"histogram":[1712345678.5,{"count":"2","sum":"3","buckets":[]}]}
    ]}}
    """#
    static let scalar = #"{"status":"success","data":{"resultType":"scalar","result":[1712345678,"+Inf"]}}"#
    static let string = #"{"status":"success","data":{"resultType":"string","result":[1712345678,"hello"]}}"#
    static let matrix = #"""
    {"status":"success","data":{"resultType":"matrix","result":[
      {"metric":{"__name__":"DCGM_FI_DEV_GPU_TEMP","gpu":"0","tenant":"acme"},"values":[[1712345600,"61"],[1712345615,"62.5"],[1712345630,"-Inf"]]},
      {"metric":{"__name__":"DCGM_FI_DEV_GPU_TEMP","gpu":"1","tenant":"acme"},"values":[[1712345600,"70"]]}
    ]}}
    """#
    static let series = #"""
    {"status":"success","data":[{"__name__":"up","job":"dcgm","tenant":"acme"},{"__name__":"up","job":"vllm","tenant":"acme"}]}
    """#
    static let labels = #"{"status":"success","data":["tenant","job","__name__"]}"#
    static let labelValues = #"{"status":"success","data":["vllm","dcgm"]}"#
    static let rules = #"""
    {"status":"success","data":{"groups":[{"name":"gpu","file":"/etc/prometheus/gpu.yml","interval":15,"rules":[
      {"state":"firing","name":"GPUHot","query":"DCGM_FI_DEV_GPU_TEMP >= 90","duration":300,"labels":{"severity":"critical"},
       "annotations":{"summary":"hot"},"alerts":[],"health":"ok","lastError":"","evaluationTime":0.0003,"lastEvaluation":"2024-04-05T10:11:12.123456789Z","type":"alerting"},
      {"name":"node:gpu_util:avg","query":"avg by (node) (DCGM_FI_DEV_GPU_UTIL)","labels":{},"health":"err","lastError":"boom",
       "evaluationTime":0.0001,"lastEvaluation":"2024-04-05T10:11:12Z","type":"recording"}
    ]}]}}
    """#
    static let targets = #"""
    {"status":"success","data":{"activeTargets":[
      {"discoveredLabels":{"__meta_secret":"x"},"labels":{"instance":"10.0.0.5:9400","job":"dcgm","tenant":"acme"},
       "scrapePool":"dcgm","scrapeUrl":"http://10.0.0.5:9400/metrics","globalUrl":"http://10.0.0.5:9400/metrics",
       "lastError":"","lastScrape":"2024-04-05T12:11:12.250000000+02:00","lastScrapeDuration":0.0125,"health":"up","scrapeInterval":"15s","scrapeTimeout":"10s"},
      {"discoveredLabels":{},"labels":{"instance":"10.0.0.6:9400","job":"dcgm"},"scrapePool":"dcgm","scrapeUrl":"http://10.0.0.6:9400/metrics",
       "lastError":"connection refused","lastScrape":"0001-01-01T00:00:00Z","lastScrapeDuration":0,"health":"down"}
    ],"droppedTargets":[]}}
    """#
    static let buildInfo = #"""
    {"status":"success","data":{"version":"2.42.0","revision":"abc","branch":"debian/sid","buildUser":"x","buildDate":"20230101","goVersion":"go1.19.8"}}
    """#
    static let badData = #"{"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"}"#
    static let execution = #"{"status":"error","errorType":"execution","error":"query processing would load too many samples into memory"}"#
    static let evalTimeout = #"{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}"#
    static let unavailable = #"{"status":"error","errorType":"unavailable","error":"TSDB not ready"}"#
}
