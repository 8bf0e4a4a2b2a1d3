// A kerasspec protocol adapter in C++17: copy it, replace `read_keras2` with a call into your parser.
//
// Protocol (spec/protocol.md): one JSON message per line on stdin, one reply per line on stdout.
//   {"cmd":"start","version":1}               -> {"version":1,"implementation":{...},"formats":["keras2"]}
//   {"cmd":"parse","seq":N,"case":ID,"text":T} -> {"seq":N,"document":{...}} | {"seq":N,"error":{...}}
//   {"cmd":"stop"}                             -> exit 0
// Build: g++ -std=c++17 -O2 -o adapter adapter.cpp      Run: kerasspec check -- ./adapter
//
// The JSON code is a minimal hand-written parser/writer (no dependency), and the reader below is a
// deliberately small keras2 (tf.keras / tf_keras) reader. What it does NOT do, so the suite shows it:
// keras3 files (not declared), node-index renumbering of nested models (wire index = call index),
// TFOpLambda structure-preserving nodes, _CONSTANT_VALUE entries, cycles, limits.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

// ---- JSON -------------------------------------------------------------------------------------
struct Json;
using JsonPtr = std::shared_ptr<Json>;
struct Json {
  enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
  bool boolean = false;
  double number = 0;
  std::string text;                                    // String value
  std::vector<JsonPtr> items;                          // Array
  std::vector<std::pair<std::string, JsonPtr>> fields; // Object, in file order
  JsonPtr get(const std::string& key) const {
    for (const auto& field : fields) if (field.first == key) return field.second;
    return nullptr;
  }
};
JsonPtr make(Json::Kind kind) { auto v = std::make_shared<Json>(); v->kind = kind; return v; }

struct SyntaxError : std::runtime_error { using std::runtime_error::runtime_error; };

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}
  JsonPtr document() {
    JsonPtr v = value(0);
    space();
    if (i_ != s_.size()) fail("trailing characters");
    return v;
  }
 private:
  const std::string& s_;
  size_t i_ = 0;
  [[noreturn]] void fail(const std::string& why) { throw SyntaxError(why + " at offset " + std::to_string(i_)); }
  void space() { while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_; }
  bool literal(const char* word) {
    size_t n = std::char_traits<char>::length(word);
    if (s_.compare(i_, n, word) != 0) return false;
    i_ += n;
    return true;
  }
  JsonPtr value(int depth) {
    if (depth > 512) fail("nesting too deep");
    space();
    if (i_ >= s_.size()) fail("unexpected end");
    char c = s_[i_];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') { auto v = make(Json::String); v->text = string(); return v; }
    if (literal("true")) { auto v = make(Json::Bool); v->boolean = true; return v; }
    if (literal("false")) return make(Json::Bool);
    if (literal("null")) return make(Json::Null);
    // Keras writes NaN and Infinity as bare tokens.
    if (literal("NaN")) { auto v = make(Json::Number); v->number = NAN; return v; }
    if (literal("Infinity")) { auto v = make(Json::Number); v->number = INFINITY; return v; }
    if (literal("-Infinity")) { auto v = make(Json::Number); v->number = -INFINITY; return v; }
    return number();
  }
  JsonPtr number() {
    size_t start = i_;
    while (i_ < s_.size() && std::string("+-0123456789.eE").find(s_[i_]) != std::string::npos) ++i_;
    if (start == i_) fail("unexpected character");
    auto v = make(Json::Number);
    try { v->number = std::stod(s_.substr(start, i_ - start)); } catch (...) { fail("bad number"); }
    return v;
  }
  static void utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) out += char(cp);
    else if (cp < 0x800) { out += char(0xC0 | (cp >> 6)); out += char(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) { out += char(0xE0 | (cp >> 12)); out += char(0x80 | ((cp >> 6) & 0x3F)); out += char(0x80 | (cp & 0x3F)); }
    else { out += char(0xF0 | (cp >> 18)); out += char(0x80 | ((cp >> 12) & 0x3F)); out += char(0x80 | ((cp >> 6) & 0x3F)); out += char(0x80 | (cp & 0x3F)); }
  }
  unsigned hex4() {
    if (i_ + 4 > s_.size()) fail("bad \\u escape");
    unsigned cp = std::stoul(s_.substr(i_, 4), nullptr, 16);
    i_ += 4;
    return cp;
  }
  std::string string() {
    std::string out;
    ++i_;  // opening quote
    while (true) {
      if (i_ >= s_.size()) fail("unterminated string");
      char c = s_[i_++];
      if (c == '"') return out;
      if (c != '\\') { out += c; continue; }
      if (i_ >= s_.size()) fail("unterminated escape");
      char e = s_[i_++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && s_.compare(i_, 2, "\\u") == 0) {
            i_ += 2;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4() - 0xDC00);
          }
          utf8(out, cp);
          break;
        }
        default: out += e;  // \" \\ \/
      }
    }
  }
  JsonPtr array(int depth) {
    auto v = make(Json::Array);
    ++i_;
    space();
    if (i_ < s_.size() && s_[i_] == ']') { ++i_; return v; }
    while (true) {
      v->items.push_back(value(depth + 1));
      space();
      if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
      if (i_ < s_.size() && s_[i_] == ']') { ++i_; return v; }
      fail("expected , or ]");
    }
  }
  JsonPtr object(int depth) {
    auto v = make(Json::Object);
    ++i_;
    space();
    if (i_ < s_.size() && s_[i_] == '}') { ++i_; return v; }
    while (true) {
      space();
      if (i_ >= s_.size() || s_[i_] != '"') fail("expected a key");
      std::string key = string();
      space();
      if (i_ >= s_.size() || s_[i_] != ':') fail("expected :");
      ++i_;
      v->fields.emplace_back(key, value(depth + 1));
      space();
      if (i_ < s_.size() && s_[i_] == ',') { ++i_; continue; }
      if (i_ < s_.size() && s_[i_] == '}') { ++i_; return v; }
      fail("expected , or }");
    }
  }
};

void write(std::ostream& out, const JsonPtr& v);
void write_string(std::ostream& out, const std::string& s) {
  out << '"';
  for (unsigned char c : s) {
    if (c == '"') out << "\\\"";
    else if (c == '\\') out << "\\\\";
    else if (c == '\n') out << "\\n";
    else if (c < 0x20) { char buf[8]; std::snprintf(buf, sizeof buf, "\\u%04x", c); out << buf; }
    else out << c;
  }
  out << '"';
}
void write(std::ostream& out, const JsonPtr& v) {
  switch (v->kind) {
    case Json::Null: out << "null"; break;
    case Json::Bool: out << (v->boolean ? "true" : "false"); break;
    case Json::Number: {
      if (std::isnan(v->number)) { out << "NaN"; break; }
      if (std::isinf(v->number)) { out << (v->number > 0 ? "Infinity" : "-Infinity"); break; }
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", v->number);
      out << buf;
      break;
    }
    case Json::String: write_string(out, v->text); break;
    case Json::Array:
      out << '[';
      for (size_t i = 0; i < v->items.size(); ++i) { if (i) out << ','; write(out, v->items[i]); }
      out << ']';
      break;
    case Json::Object:
      out << '{';
      for (size_t i = 0; i < v->fields.size(); ++i) {
        if (i) out << ',';
        write_string(out, v->fields[i].first);
        out << ':';
        write(out, v->fields[i].second);
      }
      out << '}';
      break;
  }
}

JsonPtr str(const std::string& s) { auto v = make(Json::String); v->text = s; return v; }
JsonPtr num(double d) { auto v = make(Json::Number); v->number = d; return v; }
JsonPtr obj(std::vector<std::pair<std::string, JsonPtr>> fields) { auto v = make(Json::Object); v->fields = std::move(fields); return v; }
JsonPtr arr(std::vector<JsonPtr> items) { auto v = make(Json::Array); v->items = std::move(items); return v; }

// ---- the keras2 reader ------------------------------------------------------------------------
struct Rejected : std::runtime_error {
  std::string code;
  Rejected(std::string c, const std::string& message) : std::runtime_error(message), code(std::move(c)) {}
};

bool is_reference(const JsonPtr& v) {  // [layer, node, tensor] or [layer, node, tensor, kwargs]
  return v->kind == Json::Array && (v->items.size() == 3 || v->items.size() == 4) &&
         v->items[0]->kind == Json::String && v->items[1]->kind == Json::Number && v->items[2]->kind == Json::Number;
}

JsonPtr tensor(const JsonPtr& ref) { return obj({{"tensor", arr({ref->items[0], ref->items[1], ref->items[2]})}}); }

// A kwargs value: references are tensors, containers are expanded, scalars are constants.
JsonPtr value(const JsonPtr& v) {
  if (is_reference(v) && v->items.size() == 3) return tensor(v);
  if (v->kind == Json::Array) {
    std::vector<JsonPtr> items;
    for (const auto& item : v->items) items.push_back(value(item));
    return obj({{"list", arr(items)}});
  }
  if (v->kind == Json::Object) {
    std::vector<std::pair<std::string, JsonPtr>> fields;
    for (const auto& field : v->fields) fields.emplace_back(field.first, value(field.second));
    return obj({{"dict", obj(fields)}});
  }
  return obj({{"const", v}});
}

JsonPtr endpoints(const JsonPtr& v) {  // input_layers / output_layers
  if (!v || v->kind == Json::Null) return make(Json::Null);
  if (is_reference(v)) return tensor(v);
  if (v->kind == Json::Array) {
    std::vector<JsonPtr> items;
    for (const auto& item : v->items) items.push_back(endpoints(item));
    return obj({{"list", arr(items)}});
  }
  if (v->kind == Json::Object) {
    std::vector<std::pair<std::string, JsonPtr>> fields;
    for (const auto& field : v->fields) fields.emplace_back(field.first, endpoints(field.second));
    return obj({{"dict", obj(fields)}});
  }
  throw Rejected("bad-entry", "input_layers/output_layers hold [layer, node, tensor] triples");
}

// keras2 writes a single input/output tensor as a list of one reference (spec/envelope.md 2.5).
JsonPtr top_endpoints(const JsonPtr& v) {
  if (v && v->kind == Json::Array && v->items.size() == 1 && is_reference(v->items[0])) return tensor(v->items[0]);
  return endpoints(v);
}

JsonPtr call(const JsonPtr& node, const std::map<std::string, bool>& names) {
  if (node->kind != Json::Array || node->items.empty()) throw Rejected("bad-node", "a keras2 node is a list of entries");
  std::vector<JsonPtr> first;
  JsonPtr kwargs = obj({});
  for (const auto& entry : node->items) {
    if (!is_reference(entry)) throw Rejected("bad-entry", "an entry is [layer, node_index, tensor_index, kwargs]");
    if (!names.count(entry->items[0]->text)) throw Rejected("dangling-reference", "no layer named '" + entry->items[0]->text + "'");
    first.push_back(tensor(entry));
    if (entry->items.size() == 4 && entry->items[3]->kind == Json::Object) kwargs = value(entry->items[3])->get("dict");
  }
  JsonPtr argument = first.size() == 1 ? first[0] : obj({{"list", arr(first)}});
  return obj({{"args", arr({argument})}, {"kwargs", kwargs}});
}

JsonPtr model(const JsonPtr& raw) {
  JsonPtr config = raw->get("config");
  JsonPtr layers = config ? config->get("layers") : nullptr;
  if (!layers || layers->kind != Json::Array) throw Rejected("not-a-model", "expected a model with config.layers");
  bool sequential = raw->get("class_name") && raw->get("class_name")->text == "Sequential";
  std::map<std::string, bool> names;
  for (const auto& layer : layers->items) {
    JsonPtr layer_config = layer->get("config");
    if (!layer_config || !layer_config->get("name")) throw Rejected("bad-layer", "a layer needs config.name");
    names[layer_config->get("name")->text] = true;
  }
  std::vector<JsonPtr> out;
  for (const auto& layer : layers->items) {
    std::vector<JsonPtr> calls;
    JsonPtr nodes = layer->get("inbound_nodes");
    if (!sequential && nodes && nodes->kind == Json::Array)
      for (const auto& node : nodes->items) calls.push_back(call(node, names));
    JsonPtr module = layer->get("module") ? layer->get("module") : make(Json::Null);
    std::vector<std::pair<std::string, JsonPtr>> fields = {
        {"name", layer->get("config")->get("name")}, {"class_name", layer->get("class_name")},
        {"module", module}, {"calls", arr(calls)}};
    JsonPtr inner = layer->get("config")->get("layers");
    if (inner && inner->kind == Json::Array) fields.emplace_back("model", model(layer));
    out.push_back(obj(fields));
  }
  return obj({{"class_name", raw->get("class_name")},
              {"name", config->get("name") ? config->get("name") : str("")},
              {"inputs", sequential ? make(Json::Null) : top_endpoints(config->get("input_layers"))},
              {"outputs", sequential ? make(Json::Null) : top_endpoints(config->get("output_layers"))},
              {"layers", arr(out)}});
}

JsonPtr read_keras2(const std::string& text) {
  JsonPtr raw;
  try {
    raw = Parser(text).document();
  } catch (const SyntaxError& error) {
    throw Rejected("not-json", error.what());
  }
  if (raw->kind != Json::Object || !raw->get("class_name")) throw Rejected("not-a-model", "a model JSON is an object with class_name");
  return obj({{"format", str("keras2")}, {"model", model(raw)}});
}

// ---- the protocol loop ------------------------------------------------------------------------
int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    JsonPtr request = Parser(line).document();
    std::string cmd = request->get("cmd")->text;
    std::ostringstream out;
    if (cmd == "start") {
      write(out, obj({{"version", num(1)},
                      {"implementation", obj({{"name", str("kerasspec-cpp-example")}, {"version", str("0.1.0")},
                                              {"language", str("c++")}})},
                      {"formats", arr({str("keras2")})}}));
    } else if (cmd == "parse") {
      JsonPtr seq = request->get("seq");
      try {
        write(out, obj({{"seq", seq}, {"document", read_keras2(request->get("text")->text)}}));
      } catch (const Rejected& error) {
        write(out, obj({{"seq", seq}, {"error", obj({{"code", str(error.code)}, {"message", str(error.what())}})}}));
      }
    } else if (cmd == "stop") {
      return 0;
    }
    std::cout << out.str() << '\n' << std::flush;
  }
  return 0;
}
