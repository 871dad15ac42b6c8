#include "smo/app.hpp"

int main(int argc, char** argv) {
    return smo::app_main(argc, argv);
}
