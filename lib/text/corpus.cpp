// corpus.cpp — see corpus.hpp.
#include "text/corpus.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <sstream>

#include "core/errors.hpp"

namespace scratch {

const char* const kBookSentence = "You say goodbye and I say hello.";

// Four kinds of words, each in the same few frames, so that their neighbours coincide.
const char* const kSimpleSentences = R"(
The cat runs. The dog runs. A horse runs. My cat sleeps. My dog sleeps. A cow sleeps.
The horse eats grass. The cow eats grass. A cat eats fish. A dog eats meat. The bird sings.
A bird flies. My horse jumps. The dog jumps. The cat walks. A cow walks. My bird sleeps.
The cow runs. A dog walks. My cat jumps. The bird eats seeds. A horse sleeps. My cow eats grass.

The car is red. The ball is blue. The sky is blue. The grass is green. The sun is yellow.
The apple is red. A leaf is green. A banana is yellow. The sea is blue. The frog is green.
She has a red car. He has a blue car. We have a green ball. They have a yellow ball.
I like red apples. You like green apples. She likes a blue hat. He likes a yellow hat.
A red hat is nice. A green car is nice. A blue ball is nice. A yellow car is nice.

I have one apple. I have two apples. You have three apples. We have four books.
They have five books. She has two books. He has three cats. I have four hats.
One plus one makes two. Two plus two makes four. One plus two makes three.
Two plus three makes five. One plus four makes five. Three plus one makes four.
We count one, two, three, four, five. They count five, four, three, two, one.

On Monday we work. On Tuesday we work. On Wednesday we study. On Thursday we study.
On Friday we rest. See you on Monday. See you on Friday. We swim on Tuesday.
We read on Wednesday. We cook on Thursday. On Monday they swim. On Friday they cook.
Monday comes before Tuesday. Tuesday comes before Wednesday. Wednesday comes before Thursday.
Thursday comes before Friday. See you on Wednesday. See you on Thursday. On Tuesday they read.
)";

std::size_t Corpus::id_of(const std::string& word) const {
  const auto it = word_to_id.find(word);
  if (it != word_to_id.end()) return it->second;
  std::string known;
  for (std::size_t i = 0; i < std::min<std::size_t>(id_to_word.size(), 8); ++i) known += " " + id_to_word[i];
  fail<ValueError>("corpus: the word '", word, "' is not in the vocabulary of ", id_to_word.size(),
                   " words (words are lower case; the first ones are:", known, " …)");
}

Corpus preprocess(const std::string& text) {
  std::string spaced;
  spaced.reserve(text.size() * 2);
  for (const char c : text) {
    if (std::string(".,!?;:").find(c) != std::string::npos) {
      spaced += ' ';
      spaced += c;
      spaced += ' ';
    } else {
      spaced += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  Corpus corpus;
  std::istringstream words(spaced);  // >> splits at any run of whitespace, newlines included
  std::string word;
  while (words >> word) {
    const auto found = corpus.word_to_id.emplace(word, corpus.id_to_word.size());
    if (found.second) corpus.id_to_word.push_back(word);
    corpus.ids.push_back(found.first->second);
  }
  if (corpus.ids.empty()) fail<ValueError>("preprocess: the text has no words (it is empty or only whitespace)");
  return corpus;
}

ContextsTarget create_contexts_target(const Corpus& corpus, std::size_t window_size) {
  const std::size_t w = window_size, total = corpus.ids.size();
  if (w == 0) fail<ValueError>("create_contexts_target: window_size must be at least 1 word on each side, got 0");
  if (total < 2 * w + 1)
    fail<ValueError>("create_contexts_target: a corpus of ", total, " words gives no target with ", w,
                     " context words on each side (it needs at least ", 2 * w + 1, " words)");
  const std::size_t n = total - 2 * w;
  ContextsTarget pairs{Tensor::empty({n, 2 * w}), Tensor::empty({n})};
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t centre = i + w;
    pairs.target[i] = static_cast<Scalar>(corpus.ids[centre]);
    for (std::size_t k = 0; k < w; ++k) {
      pairs.contexts(i, k) = static_cast<Scalar>(corpus.ids[centre - w + k]);      // left of the target
      pairs.contexts(i, w + k) = static_cast<Scalar>(corpus.ids[centre + 1 + k]);  // right of it
    }
  }
  return pairs;
}

Scalar bag_of_contexts_entropy(const ContextsTarget& data) {
  const std::size_t n = data.target.size();
  if (n == 0) fail<ValueError>("bag_of_contexts_entropy: there are no (contexts, target) pairs");
  const std::size_t width = data.contexts.size() / n;
  // Count each bag (the sorted context ids) and each (bag, target).
  std::map<std::vector<Scalar>, std::size_t> bags;
  std::map<std::pair<std::vector<Scalar>, Scalar>, std::size_t> bag_targets;
  std::vector<std::vector<Scalar>> bag_of(n);
  for (std::size_t i = 0; i < n; ++i) {
    bag_of[i].assign(data.contexts.data() + i * width, data.contexts.data() + (i + 1) * width);
    std::sort(bag_of[i].begin(), bag_of[i].end());
    ++bags[bag_of[i]];
    ++bag_targets[{bag_of[i], data.target[i]}];
  }
  double total = 0;
  for (std::size_t i = 0; i < n; ++i)
    total -=
        std::log(static_cast<double>(bag_targets[{bag_of[i], data.target[i]}]) / static_cast<double>(bags[bag_of[i]]));
  return static_cast<Scalar>(total / static_cast<double>(n));
}

namespace {

// ε added to each norm, as in the book's cos_similarity: a zero vector gets similarity 0, not NaN.
constexpr double kNormEpsilon = 1e-8;

double cosine(const Scalar* a, const Scalar* b, std::size_t n) {
  double dot = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    aa += static_cast<double>(a[i]) * a[i];
    bb += static_cast<double>(b[i]) * b[i];
  }
  return dot / ((std::sqrt(aa) + kNormEpsilon) * (std::sqrt(bb) + kNormEpsilon));
}

}  // namespace

Scalar cos_similarity(const Tensor& a, const Tensor& b) {
  if (a.size() != b.size())
    fail<ShapeError>("cos_similarity: a has shape ", shape_string(a.shape()), " and b has shape ",
                     shape_string(b.shape()), "; both vectors need the same number of elements");
  return static_cast<Scalar>(cosine(a.data(), b.data(), a.size()));
}

std::vector<Neighbour> most_similar(const std::string& query, const Corpus& corpus, const Tensor& word_vecs,
                                    std::size_t top) {
  const std::size_t v = corpus.vocab_size();
  if (word_vecs.ndim() != 2 || word_vecs.shape()[0] != v)
    fail<ShapeError>("most_similar: word_vecs has shape ", shape_string(word_vecs.shape()), " but the corpus has ", v,
                     " words: expected one row per word, (", v, ", H)");
  const std::size_t q = corpus.id_of(query), h = word_vecs.shape()[1];
  std::vector<Neighbour> all;
  for (std::size_t i = 0; i < v; ++i) {
    if (i == q) continue;
    const double s = cosine(word_vecs.data() + q * h, word_vecs.data() + i * h, h);
    all.push_back({corpus.id_to_word[i], static_cast<Scalar>(s)});
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Neighbour& a, const Neighbour& b) { return a.similarity > b.similarity; });
  all.resize(std::min(top, all.size()));
  return all;
}

}  // namespace scratch
