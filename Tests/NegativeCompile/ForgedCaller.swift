// expect: protection level
// Code outside the authentication path makes itself a caller.
import Factory
import Fleet

func forge(_ user: User) -> Caller {
    Caller(user: user, keyID: "k_forged")
}
