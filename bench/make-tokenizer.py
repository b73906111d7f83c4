"""Builds a tiny word-level tokenizer directory for AIPerf, offline.

AIPerf's default tokenizer and `builtin` download from the Hugging Face Hub; the benchmark runs
without internet, so it gets a local `PreTrainedTokenizerFast` whose tokens are whitespace-
separated words (the same unit the simulator and `aifactory loadtest` count).
"""
import sys

from tokenizers import Tokenizer, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

out = sys.argv[1]
words = ("the model serves tokens under load while every request measures latency across nodes cache "
         "blocks grow with context batch size limits throughput quickly before queue fills and engine "
         "schedules prefill decode steps memory bandwidth bounds speed of each token stream events arrive "
         "in order so clients time them carefully when servers saturate tail rises sharply as knee passes "
         "capacity planning needs honest numbers today").split()
corpus = [" ".join(words)] * 4 + [" ".join(str(i) for i in range(1000))]
tokenizer = Tokenizer(models.WordLevel(unk_token="[UNK]"))
tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
tokenizer.train_from_iterator(corpus, trainers.WordLevelTrainer(special_tokens=["[UNK]", "[PAD]", "<s>", "</s>"]))
fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]", bos_token="<s>", eos_token="</s>")
fast.save_pretrained(out)
print(f"tokenizer with {fast.vocab_size} words in {out}")
