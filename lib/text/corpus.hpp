// corpus.hpp — a text as word ids, the (contexts, target) pairs word2vec learns from, and the
// cosine similarity that compares the learned word vectors ("Deep Learning from Scratch 2", ch. 2–3).
//
//   text     "You say goodbye and I say hello."
//   words    you say goodbye and i say hello .          lower case, punctuation split off
//   ids      0   1   2       3   4 1   5     6          a new word gets the next id
//
// With a window of w words on each side, every position i with w words on both sides gives one
// training pair: the target ids[i] and its contexts ids[i−w … i−1, i+1 … i+w]. For w = 1:
//
//   contexts (N, 2) = [[you, goodbye], [say, and], [goodbye, i], …]    N = T − 2w pairs (T words)
//   target   (N,)   = [say, goodbye, and, …]
//
// Ids are stored as Scalars (Tensors hold Scalars), whole numbers in [0, V) for V distinct words.
//
//   similarity(a, b) = a·b / (‖a‖ ‖b‖)      in [−1, 1]; 1 when a and b point the same way
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "tensor/tensor.hpp"

namespace scratch {

// A text as word ids plus the two-way dictionary between words and ids.
struct Corpus {
  std::vector<std::size_t> ids;  // the words of the text in order, as ids (T,)
  std::unordered_map<std::string, std::size_t> word_to_id;
  std::vector<std::string> id_to_word;  // V entries; id_to_word[word_to_id[w]] == w

  std::size_t vocab_size() const { return id_to_word.size(); }
  // The id of `word`; throws ValueError naming the word (and a few known ones) when it is not in the corpus.
  std::size_t id_of(const std::string& word) const;
};

// The book's preprocess(): lower-cases the text, makes each of . , ! ? ; : a word of its own and
// splits at whitespace. Throws ValueError for a text without any word.
Corpus preprocess(const std::string& text);

// The pairs of a window of `window_size` words on each side, as in the header comment: contexts
// (N, 2·window_size) and target (N,), N = T − 2·window_size. Throws ValueError when window_size
// is 0 or the corpus is too short to give one pair.
struct ContextsTarget {
  Tensor contexts;  // (N, 2w) word ids: the w words left of the target, then the w words right of it
  Tensor target;    // (N,) word ids
};
ContextsTarget create_contexts_target(const Corpus& corpus, std::size_t window_size = 1);

// The smallest mean cross-entropy that any model can reach on these pairs if it sees the contexts
// as a bag, unordered (CBOW averages its context vectors, so (say, and) and (and, say) look the same
// to it): the conditional entropy of the target given the bag,
//   H = −(1/N) Σ_n log p(t_n | bag_n),   p(t | bag) = (pairs with this bag and target t) / (pairs with this bag)
// It is 0 only when every bag of contexts has one target. Throws ValueError for an empty data set.
Scalar bag_of_contexts_entropy(const ContextsTarget& data);

// Cosine similarity of two vectors with the same number of elements. A small ε in each norm keeps a
// zero vector from dividing by 0 (its similarity to anything is then 0). Throws ShapeError when the
// sizes differ.
Scalar cos_similarity(const Tensor& a, const Tensor& b);

struct Neighbour {
  std::string word;
  Scalar similarity;
};

// The `top` words whose rows of word_vecs (V, H) are closest to `query`'s row by cosine similarity,
// most similar first, the query itself left out (ties keep the lower id first). Throws ValueError for
// an unknown query, ShapeError when word_vecs does not have one row per word of the corpus.
std::vector<Neighbour> most_similar(const std::string& query, const Corpus& corpus, const Tensor& word_vecs,
                                    std::size_t top = 5);

// "You say goodbye and I say hello.", the book's first corpus (V = 7).
extern const char* const kBookSentence;

// About 400 words of simple sentences written for chapter 6, in which words of one kind share their
// neighbours: animals come after "the"/"a"/"my" and before a verb, colours after "is"/"a" and before
// "." or a noun, numbers after "have"/"plus", days after "on". With a window of one word, a model
// that predicts a word from its neighbours learns similar vectors for words of the same kind.
extern const char* const kSimpleSentences;

}  // namespace scratch
