// expect: protection level
// Code builds a "scoped" query from text without the enforcer.
import PromQL

func forge() -> ScopedQuery {
    ScopedQuery(text: "up", tenant: "acme", matchers: [])
}
