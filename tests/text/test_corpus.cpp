// test_corpus.cpp — preprocess, create_contexts_target, cos_similarity and most_similar.
#include <cmath>
#include <functional>

#include "test_util.hpp"

using namespace scratch;
using scratch::test::contains;
using scratch::test::expect_allclose;
using scratch::test::message_of;

BOOST_AUTO_TEST_SUITE(text_corpus)

BOOST_AUTO_TEST_CASE(preprocess_the_books_sentence) {
  // you say goodbye and i say hello .  →  0 1 2 3 4 1 5 6: "say" keeps its id, "." is a word.
  const Corpus corpus = preprocess(kBookSentence);
  BOOST_TEST(corpus.ids == (std::vector<std::size_t>{0, 1, 2, 3, 4, 1, 5, 6}), boost::test_tools::per_element());
  BOOST_TEST(corpus.id_to_word == (std::vector<std::string>{"you", "say", "goodbye", "and", "i", "hello", "."}),
             boost::test_tools::per_element());
  BOOST_TEST(corpus.vocab_size() == 7u);
  BOOST_TEST(corpus.id_of("hello") == 5u);
  // Newlines and runs of spaces split words too; commas are words of their own.
  const Corpus spaced = preprocess("One,  two\n\tTHREE.");
  BOOST_TEST(spaced.id_to_word == (std::vector<std::string>{"one", ",", "two", "three", "."}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(contexts_and_targets_by_hand) {
  const Corpus corpus = preprocess(kBookSentence);  // ids 0 1 2 3 4 1 5 6
  const ContextsTarget w1 = create_contexts_target(corpus, 1);
  // Target at positions 1 … 6; its contexts are the ids just left and right of it.
  expect_allclose(w1.contexts, Tensor::from_rows({{0, 2}, {1, 3}, {2, 4}, {3, 1}, {4, 5}, {1, 6}}), 0, 0);
  expect_allclose(w1.target, Tensor::from_vector({6}, {1, 2, 3, 4, 1, 5}), 0, 0);
  const ContextsTarget w2 = create_contexts_target(corpus, 2);
  // Window 2: targets at positions 2 … 5, contexts (left 2, right 2).
  expect_allclose(w2.contexts, Tensor::from_rows({{0, 1, 3, 4}, {1, 2, 4, 1}, {2, 3, 1, 5}, {3, 4, 5, 6}}), 0, 0);
  expect_allclose(w2.target, Tensor::from_vector({4}, {2, 3, 4, 1}), 0, 0);
}

BOOST_AUTO_TEST_CASE(bag_of_contexts_entropy_by_hand) {
  // The book's pairs as bags: {you, goodbye}→say, {say, and}→goodbye, {goodbye, i}→and,
  // {and, say}→i, {i, hello}→say, {say, .}→hello. Only the bag {and, say} occurs twice, with two
  // different targets, so p = ½ for each of those two pairs and 1 for the other four:
  //   H = −(1/6)(2 log ½) = (log 2)/3 ≈ 0.231
  const ContextsTarget book = create_contexts_target(preprocess(kBookSentence), 1);
  BOOST_TEST(bag_of_contexts_entropy(book) == std::log(Scalar(2)) / 3, boost::test_tools::tolerance(Scalar(1e-6)));
  // Ordered contexts all differ, and only the bag view merges (1, 3) and (3, 1): the function
  // sorts the context ids. With one target per bag the floor is 0.
  ContextsTarget unique{Tensor::from_rows({{0, 1}, {1, 2}}), Tensor::from_vector({2}, {5, 6})};
  BOOST_TEST(bag_of_contexts_entropy(unique) == 0);
  // Three pairs share a bag, with targets 7, 7, 8: −(1/3)(2 log ⅔ + log ⅓) ≈ 0.6365
  ContextsTarget shared{Tensor::from_rows({{1, 2}, {2, 1}, {1, 2}}), Tensor::from_vector({3}, {7, 7, 8})};
  const double expected = -(2 * std::log(2.0 / 3) + std::log(1.0 / 3)) / 3;
  BOOST_TEST(bag_of_contexts_entropy(shared) == static_cast<Scalar>(expected),
             boost::test_tools::tolerance(Scalar(1e-6)));
}

BOOST_AUTO_TEST_CASE(cosine_similarity_by_hand) {
  const Tensor a = Tensor::from_vector({2}, {1, 0});
  BOOST_TEST(cos_similarity(a, Tensor::from_vector({2}, {0, 3})) == 0);  // orthogonal
  // (1, 2)·(2, 4) = 10, ‖(1, 2)‖‖(2, 4)‖ = √5·√20 = 10 → 1 (up to the ε in the norms)
  BOOST_TEST(cos_similarity(Tensor::from_vector({2}, {1, 2}), Tensor::from_vector({2}, {2, 4})) == 1,
             boost::test_tools::tolerance(Scalar(1e-6)));
  // (1, 0)·(−1, 1) / (1·√2) = −1/√2
  BOOST_TEST(cos_similarity(a, Tensor::from_vector({2}, {-1, 1})) == -1 / std::sqrt(Scalar(2)),
             boost::test_tools::tolerance(Scalar(1e-6)));
  BOOST_TEST(cos_similarity(a, Tensor::zeros({2})) == 0);  // a zero vector: 0, not NaN
  BOOST_CHECK_THROW(cos_similarity(a, Tensor::zeros({3})), ShapeError);
}

BOOST_AUTO_TEST_CASE(most_similar_ranks_by_cosine) {
  const Corpus corpus = preprocess("a b c d");
  // a = (1, 0);  b = (2, 0.1) nearly a's direction;  c = (0, 1) orthogonal;  d = (−1, 0) opposite.
  const Tensor vecs = Tensor::from_rows({{1, 0}, {2, 0.1}, {0, 1}, {-1, 0}});
  const std::vector<Neighbour> top = most_similar("a", corpus, vecs, 2);
  BOOST_REQUIRE(top.size() == 2u);
  BOOST_TEST(top[0].word == "b");
  BOOST_TEST(top[1].word == "c");
  BOOST_TEST(most_similar("a", corpus, vecs, 10).back().word == "d");  // all 3 others; the query is left out
  BOOST_TEST(most_similar("a", corpus, vecs, 10).size() == 3u);
  BOOST_CHECK_THROW(most_similar("a", corpus, Tensor::zeros({3, 2}), 2), ShapeError);
  const std::string unknown = message_of([&] { most_similar("zebra", corpus, vecs, 2); });
  BOOST_TEST(contains(unknown, "'zebra' is not in the vocabulary of 4 words"), unknown);
}

BOOST_AUTO_TEST_CASE(errors_name_the_problem) {
  BOOST_CHECK_THROW(preprocess(" \n "), ValueError);
  const Corpus corpus = preprocess("a b");
  const std::string short_corpus = message_of([&] { create_contexts_target(corpus, 1); });
  BOOST_TEST(contains(short_corpus, "a corpus of 2 words gives no target"), short_corpus);
  BOOST_CHECK_THROW(create_contexts_target(preprocess(kBookSentence), 0), ValueError);
}

BOOST_AUTO_TEST_CASE(simple_sentences_hold_every_kind_of_word) {
  const Corpus corpus = preprocess(kSimpleSentences);
  BOOST_TEST(corpus.ids.size() > 300u);  // a few hundred words
  for (const char* word : {"cat", "dog", "horse", "cow", "bird", "red", "blue", "green", "yellow", "one", "two",
                           "three", "four", "five", "monday", "tuesday", "wednesday", "thursday", "friday"})
    BOOST_TEST(corpus.word_to_id.count(word) == 1u, word);
}

BOOST_AUTO_TEST_SUITE_END()
