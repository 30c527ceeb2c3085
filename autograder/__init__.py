"""The autograder engine: hidden cases from nn_core, student code run out of process, teaching feedback."""
