// A program that links one layer of the core whole, with only the layers below it
// (CMakeLists.txt): a call from the layer to one above is an undefined reference.
int main() { return 0; }
